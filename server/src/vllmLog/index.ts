/** Public surface of the vLLM server log analysis: parse (streaming), diagnose, summarise. */
export { createVllmLogParser, looksLikeVllmLog, parseVllmLog, parseVllmLogFile, type VllmLogParser } from './parser';
export { HUGE_MAX_SEQ_LEN, VLLM_LOG_RULES, vllmLogFindings } from './findings';
export { formatVllmLogSummary, summarizeVllmLog, type VllmLogSummary } from './summary';
export { splitVllmLine, type VllmLevel, type VllmLine } from './lines';
export { parsePyLiteral, type PyValue } from './pyLiteral';
export type * from './model';
