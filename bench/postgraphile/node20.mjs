// PostGraphile 5.1 declares Node >= 22; on Node 20 the only API it misses is
// Promise.withResolvers (checked by grepping its dist/ folders), added here before it loads.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
