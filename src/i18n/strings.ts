import type { MetricKey } from '../engine/types.js';

export type Lang = 'en' | 'zh-CN';

export interface Strings {
  metric: Record<MetricKey, string>;
  definition: Record<MetricKey, string>;
  /** "vs previous day" etc., by range. */
  comparison: Record<1 | 7 | 30, string>;
  rangeLabel: Record<1 | 7 | 30, string>;
  appKind: Record<'mini-program' | 'h5' | 'mini-game', string>;
  loading: string;
  /** The phase of a load, named on its progress bar. */
  phase: Record<'load' | 'parse' | 'compute', string>;
  empty: string;
  noSource: string;
  errorTitle: string;
  retry: string;
  time: string;
  download: string;
  sortAscending: string;
  sortDescending: string;
  app: string;
  allApps: string;
  range: string;
  day: string;
  current: string;
  previous: string;
  dataUpTo: (date: string) => string;
  /** Label of the period shown, beside how fresh the data is. */
  period: string;
  /** The empty state when the loaded data lies elsewhere: its first and last day. */
  emptyDataCovers: (span: string) => string;
  /** A label with a period in brackets: 'This period (Nov 21 – 27, 2026)'. */
  withPeriod: (label: string, period: string) => string;
  timeZone: string;
  /** 'Label: value' with the language's colon. */
  labelled: (label: string, value: string) => string;
  trendLabel: (metric: string, period: string, min: string, max: string, total: string) => string;
  /** Caption of the detail table: metrics by hour or by day over `period`. */
  tableCaption: (granularity: 'hour' | 'day', period: string) => string;
  /** An app option: its name and kind. */
  appOption: (name: string, kind: string) => string;
  appsErrorTitle: string;
  /** Label of the date input for ranges of 7 and 30 days. */
  endingOn: string;
  /** Shown when a day after the T+1 limit `max` was typed. */
  dayOutOfRange: (max: string) => string;
  /** Accessible name of the group of metric cards. */
  metricCards: string;
  /** Screen-reader text of a growth badge: "up 12%", "down 5%", "no change". */
  growthUp: (percent: string) => string;
  growthDown: (percent: string) => string;
  growthFlat: string;
  /** Shown above a table wider than its box. */
  scrollHint: string;
  /** Name of the focusable chart, saying how to read its points. */
  chartKeys: string;
  /** Caption of the trend's text alternative (a table of the points). */
  trendTable: (metric: string, period: string) => string;
}

const en: Strings = {
  metric: {
    newUsers: 'New users',
    activeUsers: 'Active users',
    opens: 'Number of opens',
    pageVisits: 'Page visits',
    avgDurationPerOpen: 'Avg. duration per open',
    avgDurationPerUser: 'Avg. duration per user',
    avgOpensPerUser: 'Avg. opens per user',
  },
  definition: {
    newUsers: 'Users whose first-ever open or page visit falls in the period.',
    activeUsers: 'Distinct users who opened the app or visited a page in the period.',
    opens:
      'Times the app was opened in the period. Returning within 30 seconds of going to the background continues the same open.',
    pageVisits: 'Pages shown in the period, each showing counted once.',
    avgDurationPerOpen: 'Foreground time of the opens started in the period, divided by the opens.',
    avgDurationPerUser:
      'Foreground time of the opens started in the period, divided by the active users.',
    avgOpensPerUser: 'Opens divided by active users.',
  },
  comparison: {
    1: 'vs previous day',
    7: 'vs same period last week',
    30: 'vs same period last month',
  },
  rangeLabel: { 1: '1 day', 7: '7 days', 30: '30 days' },
  appKind: { 'mini-program': 'Mini program', h5: 'H5', 'mini-game': 'Mini game' },
  loading: 'Loading…',
  phase: { load: 'Downloading…', parse: 'Reading…', compute: 'Computing…' },
  empty: 'No data for this period.',
  noSource: 'No data source.',
  errorTitle: 'Could not load the report',
  retry: 'Retry',
  time: 'Time',
  download: 'Download CSV',
  sortAscending: 'Sort by time, oldest first',
  sortDescending: 'Sort by time, newest first',
  app: 'App',
  allApps: 'All apps',
  range: 'Range',
  day: 'Day',
  current: 'This period',
  previous: 'Comparison period',
  dataUpTo: (date) => `Data up to ${date} (T+1)`,
  period: 'Period',
  emptyDataCovers: (span) => `No data for this period. The data covers ${span}.`,
  withPeriod: (label, period) => `${label} (${period})`,
  timeZone: 'Time zone',
  labelled: (label, value) => `${label}: ${value}`,
  trendLabel: (metric, period, min, max, total) =>
    `${metric}, ${period}: minimum ${min}, maximum ${max}, total ${total}.`,
  tableCaption: (granularity, period) =>
    `User metrics by ${granularity === 'hour' ? 'hour' : 'day'}, ${period}`,
  appOption: (name, kind) => `${name} (${kind})`,
  appsErrorTitle: 'Could not load the apps',
  endingOn: 'Ending on',
  dayOutOfRange: (max) => `Choose a day up to ${max}: data is ready the next day.`,
  metricCards: 'Metrics',
  growthUp: (percent) => `up ${percent}`,
  growthDown: (percent) => `down ${percent}`,
  growthFlat: 'no change',
  trendTable: (metric, period) => `${metric}, ${period}`,
  chartKeys: 'Chart: use the arrow keys to read the points',
  scrollHint: 'Scroll sideways for more columns →',
};

const zhCN: Strings = {
  metric: {
    newUsers: '新增用户',
    activeUsers: '活跃用户',
    opens: '打开次数',
    pageVisits: '访问页面数',
    avgDurationPerOpen: '次均停留时长',
    avgDurationPerUser: '人均停留时长',
    avgOpensPerUser: '人均打开次数',
  },
  definition: {
    newUsers: '首次打开或访问页面发生在所选时段内的用户数。',
    activeUsers: '所选时段内打开或访问过页面的去重用户数。',
    opens: '所选时段内的打开次数。切到后台后 30 秒内返回算作同一次打开。',
    pageVisits: '所选时段内的页面访问次数，每次展示计一次。',
    avgDurationPerOpen: '所选时段内开始的打开的前台停留总时长 ÷ 打开次数。',
    avgDurationPerUser: '所选时段内开始的打开的前台停留总时长 ÷ 活跃用户数。',
    avgOpensPerUser: '打开次数 ÷ 活跃用户数。',
  },
  comparison: { 1: '较前一日', 7: '较上周同期', 30: '较上月同期' },
  rangeLabel: { 1: '1天', 7: '7天', 30: '30天' },
  appKind: { 'mini-program': '小程序', h5: 'H5', 'mini-game': '小游戏' },
  loading: '加载中…',
  phase: { load: '下载中…', parse: '读取中…', compute: '计算中…' },
  empty: '所选时段暂无数据。',
  noSource: '未连接数据源。',
  errorTitle: '报表加载失败',
  retry: '重试',
  time: '时间',
  download: '下载 CSV',
  sortAscending: '按时间升序排列',
  sortDescending: '按时间降序排列',
  app: '应用',
  allApps: '全部应用',
  range: '时间范围',
  day: '日期',
  current: '本期',
  previous: '对比期',
  dataUpTo: (date) => `数据更新至 ${date}（T+1）`,
  period: '统计时段',
  emptyDataCovers: (span) => `所选时段暂无数据。现有数据的时段为 ${span}。`,
  withPeriod: (label, period) => `${label}（${period}）`,
  timeZone: '时区',
  labelled: (label, value) => `${label}：${value}`,
  trendLabel: (metric, period, min, max, total) =>
    `${metric}，${period}：最小值 ${min}，最大值 ${max}，合计 ${total}。`,
  tableCaption: (granularity, period) =>
    `${period}${granularity === 'hour' ? '分时' : '每日'}用户数据`,
  appOption: (name, kind) => `${name}（${kind}）`,
  appsErrorTitle: '应用列表加载失败',
  endingOn: '截止日期',
  dayOutOfRange: (max) => `请选择 ${max} 或更早的日期（数据次日更新）。`,
  metricCards: '指标',
  growthUp: (percent) => `上升 ${percent}`,
  growthDown: (percent) => `下降 ${percent}`,
  growthFlat: '持平',
  trendTable: (metric, period) => `${metric}，${period}`,
  chartKeys: '图表：用方向键逐点查看数值',
  scrollHint: '左右滑动查看更多列 →',
};

const STRINGS: Record<Lang, Strings> = { en, 'zh-CN': zhCN };

/** The labels for a language. */
export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}
