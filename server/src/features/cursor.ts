/**
 * Where the cursor is in a shell script: which command it belongs to (following `\` line
 * continuations), which word it is in, and which part of that command (Run:ai flags, container
 * arguments, a vLLM call, an env assignment).
 */
import type { SimpleCommand, Word } from '../shell/lexer';
import { classifyCommand, containerVllmCall, type CommandModel, type VllmCall } from '../shell/invocations';
import type { ShellModel } from '../analysis/shellAnalysis';
import { readDockerRun } from '../analysis/dockerArgs';

export interface Cursor {
  offset: number;
  command?: SimpleCommand;
  model?: CommandModel;
  /** The word the cursor is in or right after; undefined at a blank. */
  word?: Word;
  /** Words of the command before the cursor's word. */
  before: Word[];
  /** Raw text of the current word up to the cursor. */
  typed: string;
  /** Where the typed text starts. */
  typedStart: number;
  section: 'runai' | 'vllm' | 'container' | 'docker' | 'export' | 'command-start' | 'other';
  vllmCall?: VllmCall;
}

/** True when only blanks and `\`-newline continuations lie between two offsets. */
function sameLogicalLine(text: string, from: number, to: number): boolean {
  const between = text.slice(from, to);
  return /^(?:[ \t]|\\\r?\n)*$/.test(between);
}

export function cursorAt(shell: ShellModel, offset: number): Cursor {
  const { text } = shell;
  const commands = shell.lexed.commands;
  let command: SimpleCommand | undefined;
  for (let i = commands.length - 1; i >= 0; i--) {
    const c = commands[i];
    if (c.start <= offset) {
      if (offset <= c.end || sameLogicalLine(text, c.end, offset)) command = c;
      break;
    }
  }
  // The typed text: from the last blank (or line start) to the cursor.
  let typedStart = offset;
  while (typedStart > 0 && !/[\s;|&()]/.test(text[typedStart - 1])) typedStart--;
  const typed = text.slice(typedStart, offset);
  const base: Cursor = { offset, before: [], typed, typedStart, section: 'command-start' };
  if (!command) return base;

  const word = command.words.find((w) => w.start <= offset && offset <= w.end && w.start === typedStart) ?? command.words.find((w) => w.start < offset && offset <= w.end);
  const before = command.words.filter((w) => w.end < (word ? word.start + 1 : offset) && w !== word);
  const model = classifyCommand(command);
  const cursor: Cursor = { ...base, command, model, word, before, typedStart: word ? word.start : typedStart, typed: word ? text.slice(word.start, offset) : typed, section: 'other' };

  if (before.length === 0) {
    cursor.section = 'command-start';
  } else if (model.runai) {
    const dd = model.runai.dashDash;
    if (dd && offset > dd.end) {
      cursor.section = 'container';
      cursor.vllmCall = containerVllmCall(model.runai.after, true);
    } else {
      cursor.section = 'runai';
    }
  } else if (model.vllm) {
    cursor.section = 'vllm';
    cursor.vllmCall = model.vllm;
  } else if (model.docker) {
    const docker = readDockerRun(model.docker);
    if (docker.image && offset > docker.image.end) {
      cursor.section = 'container';
      cursor.vllmCall = containerVllmCall(docker.after, true);
    } else {
      cursor.section = 'docker';
    }
  } else if (['export', 'declare', 'env'].includes(before[0].value)) {
    cursor.section = 'export';
  }
  return cursor;
}
