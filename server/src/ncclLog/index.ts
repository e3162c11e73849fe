/** Public surface of the NCCL log analysis: parse (streaming), diagnose, summarise. */
export { createNcclLogParser, parseNcclLog, parseNcclLogFile, type NcclLogParser } from './parser';
export { ncclLogFindings, NCCL_LOG_RULES } from './findings';
export { summarizeNcclLog, formatNcclLogSummary, type NcclLogSummary, type NcclPairSummary } from './summary';
export { summarizeTopology, transportFamily, type NcclTopologySummary, type NcclRingSummary } from './topologySummary';
export { classifyLine, classifyMessage, type ClassifiedLine, type MessageRecord } from './lines';
export type * from './model';
