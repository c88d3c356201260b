"use strict";(()=>{var R=Object.defineProperty;var S=(e,t,n)=>t in e?R(e,t,{enumerable:!0,configurable:!0,writable:!0,value:n}):e[t]=n;var h=(e,t,n)=>S(e,typeof t!="symbol"?t+"":t,n);var l=class extends Error{constructor(n,i,a){super(n);h(this,"status",i);h(this,"code",a)}},N=`
  fragment WidgetOrganization on Organization {
    id name industry website
    opportunities(first: 5, filter: {status: [OPEN]}) {
      totalCount edges { node { id name amount currency stage { name } } }
    }
  }
  fragment WidgetInteractions on Interaction { id kind subject occurredAt }
`,x=`query WidgetByEmail($email: String!) {
  contacts(first: 1, filter: {search: $email}) { edges { node {
    id firstName lastName title emails phones
    organization { ...WidgetOrganization }
    interactions(first: 5, orderBy: {field: OCCURRED_AT, direction: DESC}) { edges { node { ...WidgetInteractions } } }
  } } }
}${N}`,E=`query WidgetNode($id: ID!) {
  node(id: $id) {
    __typename
    ... on Contact {
      id firstName lastName title emails phones
      organization { ...WidgetOrganization }
      interactions(first: 5, orderBy: {field: OCCURRED_AT, direction: DESC}) { edges { node { ...WidgetInteractions } } }
    }
    ... on Organization {
      ...WidgetOrganization
      interactions(first: 5, orderBy: {field: OCCURRED_AT, direction: DESC}) { edges { node { ...WidgetInteractions } } }
    }
  }
}${N}`,k=`mutation WidgetLog($input: InteractionLogInput!) {
  interactionLog(input: $input) {
    interaction { ...WidgetInteractions }
    errors { __typename message path }
  }
}
fragment WidgetInteractions on Interaction { id kind subject occurredAt }`;async function p(e,t,n){let i=await fetch(new URL("/graphql",window.location.origin),{method:"POST",headers:{"content-type":"application/json",accept:"application/json",authorization:`Bearer ${e}`},body:JSON.stringify({query:t,variables:n})}),a=await i.json().catch(()=>({})),o=a.errors?.[0];if(!i.ok||o||a.data===void 0)throw new l(o?.message??i.statusText,i.status,o?.extensions?.code??"ERROR");return a.data}var O=["accent","background","surface","text","muted","border","radius","font"];function L(e){let t=e?.type;return t==="crm:token"||t==="crm:theme"}var m=new URLSearchParams(window.location.search).get("origin")??"",T=document.getElementById("widget"),y="",d={},M,b=!1,f=!1;function g(e){window.parent!==window&&m&&window.parent.postMessage(e,m)}function r(e,t={},...n){let i=Object.assign(document.createElement(e),t);return i.append(...n),i}function s(e,t=""){document.body.dataset.state=e,g({type:"crm:state",state:e,message:t}),e!=="ready"&&e!=="loading"&&T.replaceChildren(r("p",{className:`notice ${e}`},t))}function _(e){try{let t=e.replace(/^embed_/,"").split(".")[1]??"";return JSON.parse(atob(t.replace(/-/g,"+").replace(/_/g,"/")))}catch{return{}}}function j(e,t){window.clearTimeout(M);let n=Math.max(0,(e-t)*1e3),i=e*1e3-Math.min(6e4,n/4)-Date.now();M=window.setTimeout(()=>g({type:"crm:token-request"}),Math.max(0,i))}function $(e){for(let t of O){let n=e[t];typeof n=="string"&&n.length<200&&document.documentElement.style.setProperty(`--crm-${t}`,n)}}function C(e){let t=new Date(e.occurredAt).toLocaleDateString(void 0,{dateStyle:"medium"});return r("li",{className:"interaction"},r("span",{className:"kind"},e.kind.toLowerCase())," ",e.subject," ",r("time",{dateTime:e.occurredAt},t))}function W(e){let t=e.opportunities.edges.map(({node:n})=>r("li",{className:"opportunity"},n.name,n.stage?r("span",{className:"stage"},` \xB7 ${n.stage.name}`):"",n.amount?r("span",{className:"amount"},` \xB7 ${n.amount} ${n.currency}`):""));return r("section",{className:"organization"},r("h2",{},e.name),e.industry?r("p",{className:"muted"},e.industry):"",r("h3",{},`Open opportunities (${e.opportunities.totalCount})`),t.length?r("ul",{},...t):r("p",{className:"muted"},"None open."))}function D(e,t,n){let i=r("select",{name:"kind",ariaLabel:"Kind"},r("option",{value:"NOTE"},"Note"),r("option",{value:"CALL"},"Call")),a=r("input",{name:"subject",placeholder:"Log a note or call\u2026",required:!0,maxLength:500}),o=r("p",{className:"error",role:"alert"}),c=r("form",{className:"log"},i,a,r("button",{type:"submit"},"Log"),o);return c.addEventListener("submit",v=>{v.preventDefault(),o.textContent="";let z={kind:i.value,subject:a.value,contactIds:e?[e]:[],...t?{organizationId:t}:{}};p(y,k,{input:z}).then(({interactionLog:u})=>{u.interaction?(n.prepend(C(u.interaction)),a.value=""):o.textContent=u.errors.map(A=>A.message).join(" ")},u=>I(u))}),c}function w(e,t,n){let i=r("ul",{className:"interactions"},...n.map(C)),a=[];if(e){let o=`${e.firstName} ${e.lastName}`.trim();a.push(r("section",{className:"contact"},r("h1",{},o),e.title?r("p",{className:"muted"},e.title):"",...(e.emails??[]).map(c=>r("p",{className:"email"},c)),...(e.phones??[]).map(c=>r("p",{className:"phone"},c))))}t&&a.push(W(t)),a.push(r("section",{},r("h3",{},"Recent interactions"),i,D(e?.id??null,t?.id??null,i))),T.replaceChildren(...a)}function I(e){if(e instanceof l&&e.status===401){let t=/expired/i.test(e.message);s(t?"expired":"refused",e.message),t&&!f&&g({type:"crm:token-request"}),f||(f=t),b=!1;return}s("error",e instanceof Error?e.message:String(e))}async function H(){s("loading");try{if(d.record){let{node:e}=await p(y,E,{id:d.record});if(!e)return s("not-found","Nothing to show for this record.");e.__typename==="Contact"?w(e,e.organization,e.interactions.edges.map(t=>t.node)):w(null,e,(e.interactions?.edges??[]).map(t=>t.node))}else if(d.email){let{contacts:e}=await p(y,x,{email:d.email}),t=e.edges[0]?.node;if(!t)return s("not-found",`No contact with ${d.email}.`);w(t,t.organization,t.interactions.edges.map(n=>n.node))}else return s("not-found","Give the widget an email or a record.");b=!0,f=!1,s("ready")}catch(e){I(e)}}window.addEventListener("message",e=>{if(e.source!==window.parent||e.origin!==m)return;let t=e.data;if(!L(t))return;if(t.type==="crm:theme")return $(t.variables);let n=_(t.token);if(n.org!==m||typeof n.exp!="number")return s("refused","This token is not for this page.");y=t.token,d=n.rec?{record:n.rec}:t.subject,n.exp*1e3>Date.now()&&j(n.exp,n.iat??n.exp-60),b||H()});new ResizeObserver(()=>g({type:"crm:resize",height:document.documentElement.scrollHeight})).observe(document.body);!m||window.parent===window?s("refused","This page works only inside a <crm-widget>."):(document.body.dataset.state="waiting",g({type:"crm:ready"}));})();
