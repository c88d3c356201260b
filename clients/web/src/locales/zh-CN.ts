import type { Strings } from './en';

// 简体中文（本 CRM 的需求文档以中文撰写）。
const zh: Strings = {
  app: { title: 'crm-graph', skip: '跳到正文', signOut: '退出登录', language: '语言', timeZone: '时区', signedInAs: '已登录：{{email}}（{{tenant}}）' },
  nav: { board: '销售管道', leads: '线索', lists: '列表', graph: '关系图', dashboards: '仪表盘', explorer: 'API 浏览器', organizations: '组织', contacts: '联系人', opportunities: '商机' },
  signIn: {
    title: '登录 crm-graph', demoUsers: '演示用户', pick: '以此身份', go: '登录', oidc: '使用身份提供商登录',
    none: '未配置登录方式：请设置 CRM_DEV_LOGIN=true 或 CRM_OIDC_*。', failed: '登录失败：{{message}}', working: '正在登录…',
  },
  common: { loading: '加载中…', error: '出错了：{{message}}', hidden: '已隐藏', none: '—', save: '保存', cancel: '取消', edit: '编辑', more: '加载更多', retry: '重试', all: '全部', close: '关闭', noResults: '暂无内容。', forbidden: '您无权查看。' },
  board: {
    title: '销售管道', pipeline: '管道', owner: '负责人', anyOwner: '任何人', closeFrom: '预计成交起', closeTo: '预计成交止',
    deals_one: '{{count}} 个商机', deals_other: '{{count}} 个商机', moveTo: '将 {{name}} 移到阶段', moved: '{{name}} 已移到 {{stage}}',
    conflict: '{{name}} 已被他人修改（当前版本 {{version}}，阶段 {{stage}}）。您的移动未生效。',
    live: '实时', offline: '正在重连…', empty: '没有商机', failed: '无法移动 {{name}}：{{message}}',
  },
  customer: {
    details: '详情', contacts: '联系人', opportunities: '商机', timeline: '时间线', tasks: '任务', relationships: '关系',
    name: '名称', industry: '行业', region: '地区', country: '国家', website: '网站', size: '员工数', lifecycleStage: '生命周期阶段', owner: '负责人', tags: '标签', kinds: '类型',
    log: '记录互动', kind: '类型', subject: '主题', body: '备注', duration: '分钟', logged: '互动已记录', logIt: '记录',
    due: '截止 {{date}}', noDue: '无截止日期', saved: '已保存', showGraph: '在关系图中查看', endOfTimeline: '故事从这里开始。',
    notFound: '该组织不存在，或您无权查看。',
  },
  kinds: { CALL: '电话', EMAIL: '邮件', MEETING: '会议', NOTE: '备注', CHAT: '聊天', SOCIAL: '社交', VISIT: '拜访' },
  status: { OPEN: '进行中', WON: '赢单', LOST: '输单', IN_PROGRESS: '处理中', DONE: '已完成', CANCELLED: '已取消' },
  orgKinds: { CUSTOMER: '客户', PROSPECT: '潜在客户', PARTNER: '合作伙伴', COMPETITOR: '竞争对手', SUPPLIER: '供应商' },
  lifecycle: { LEAD: '线索', PROSPECT: '潜在客户', NEW: '新客户', ACTIVE: '活跃', LOYAL: '忠实', CHURNED: '流失' },
  graph: {
    title: '关系图', depth: '深度', kinds: '关系类型', focus: '中心', expand: '点击节点以展开。',
    from: '从', to: '到', findPath: '寻找引荐路径', noPath: '4 步之内没有路径。', path: '路径：{{steps}}',
    partial: '已绘制 {{shown}} / {{total}} 条记录',
    relayout: '重新布局',
    nodes: '{{nodes}} 个节点，{{edges}} 条边', search: '搜索组织', layout: '正在布局…', pick: '选择记录',
  },
  lists: {
    search: '搜索', sort: '排序', direction: '排序方向', asc: '升序', desc: '降序', csv: '下载 CSV', saveView: '保存视图', viewName: '视图名称', views: '已保存的视图',
    deleteView: '删除视图', filter: '筛选', shown: '显示 {{shown}} / {{total}}', status: '状态', stage: '生命周期阶段',
    fields: { name: '名称', industry: '行业', country: '国家', size: '员工数', lifecycleStage: '生命周期阶段', owner: '负责人', updatedAt: '更新于', email: '邮箱', title: '职位', organization: '组织', amount: '金额', stage: '阶段', status: '状态', expectedCloseDate: '预计成交' },
    order: { NAME: '名称', SIZE: '规模', CREATED_AT: '创建时间', UPDATED_AT: '更新时间', AMOUNT: '金额', EXPECTED_CLOSE_DATE: '预计成交' },
  },
  dashboards: { title: '仪表盘', byStage: '各阶段在途商机', wonLost: '按月赢单与输单', activity: '销售代表活动（近 90 天）', won: '赢单', lost: '输单', amount: '金额', interactions: '互动', deals: '商机数' },
  leads: {
    title: '线索', new: '新建线索', create: '创建线索', back: '全部线索', notFound: '该线索不存在或您无权查看。',
    fields: { name: '姓名', firstName: '名', lastName: '姓', company: '公司', email: '邮箱', emails: '邮箱', phones: '电话', title: '职位', country: '国家', status: '状态', source: '来源', score: '评分', owner: '负责人', createdAt: '创建时间' },
    order: { SCORE: '评分', NAME: '姓名', COMPANY: '公司', CREATED_AT: '创建时间', UPDATED_AT: '更新时间' },
    duplicates: '可能的重复', kind: { lead: '线索', contact: '联系人' }, reason: { EMAIL: '邮箱相同', PHONE: '电话相同', NAME: '名称相似' },
    convert: '转化', organization: '组织', contact: '联系人', createNewOrganization: '新建组织（{{name}}）', createNewContact: '新建联系人',
    withOpportunity: '同时创建商机', opportunityName: '商机名称', stage: '阶段', firstStage: '第一个阶段',
    convertedTo: '已转化为', merge: '合并', mergeWith: '合并到此线索', pickLead: '选择线索', merged: '线索已合并',
  },
  leadStatus: { NEW: '新建', WORKING: '跟进中', NURTURING: '培育中', QUALIFIED: '已确认', DISQUALIFIED: '已取消资格', CONVERTED: '已转化' },
  leadSource: { WEB_FORM: '网页表单', IMPORT: '导入', EVENT: '活动', REFERRAL: '推荐', CAMPAIGN: '营销活动', MANUAL: '手动' },
  quotes: {
    link: '报价', linkFor: '{{name}} 的报价', titleFor: '{{name}} 的报价', title: '报价 {{number}}.{{revision}}', allFor: '{{name}} 的全部报价', new: '新建报价', notFound: '该报价不存在或您无权查看。',
    primary: '主报价', priceBook: '价格表', lines: '明细行', addLine: '添加明细', pickProduct: '选择产品', fromPriceBook: '取自价格表', remove: '删除', listPrice: '目录价 {{price}}',
    totals: '合计', subtotal: '小计', discount: '折扣', net: '净额', tax: '税额', grandTotal: '总计', workflow: '审批与发送', comment: '意见',
    downloadPdf: '下载 PDF', preview: '预览', failed: '请求失败。',
    actions: { submit: '提交审批', approve: '批准', reject: '驳回', send: '发送', accept: '标记为已接受' },
    fields: { number: '编号', name: '名称', status: '状态', total: '总计', validUntil: '有效期至', product: '产品', quantity: '数量', unitPrice: '单价', discountPercent: '折扣 %', taxRate: '税率 %' },
  },
  quoteStatus: { DRAFT: '草稿', IN_REVIEW: '审批中', APPROVED: '已批准', SENT: '已发送', ACCEPTED: '已接受', REJECTED: '已驳回', EXPIRED: '已过期' },
  approvalStatus: { PENDING: '待审批', APPROVED: '已批准', REJECTED: '已驳回', CANCELLED: '已取消' },
  explorer: { title: 'API 浏览器' },
};
export default zh;
