import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { StorageError } from '../../core/errors.js';
import { checkDataDir, type StoreReport } from '../../core/storage/check.js';
import type { JournalReport } from '../../core/storage/journal/inspect.js';
import { rebaseOnSnapshot, truncateAt, type RepairReport } from '../../core/storage/repair.js';
import { parse, UsageError, type Args } from '../args.js';
import { printFields, printJson, printLine } from '../output.js';
import { DATA_USAGE } from './data-usage.js';

const OPTIONS = {
  'data-dir': { type: 'string' as const },
  'truncate-at': { type: 'string' as const },
  'rebase-on-snapshot': { type: 'string' as const },
};

export async function dataCommand(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  const args = parse(rest, OPTIONS, DATA_USAGE, 0);
  const dataDir = resolve(args.string('data-dir') ?? process.env.JUNCTION_DATA_DIR ?? './data');
  if (verb !== 'check' && verb !== 'repair') {
    throw new UsageError(verb ? `unknown data command ${JSON.stringify(verb)}` : 'missing data command', DATA_USAGE);
  }
  if (verb === 'repair' && (args.string('truncate-at') === undefined) === (args.string('rebase-on-snapshot') === undefined)) {
    throw new UsageError('repair needs exactly one explicit target: --truncate-at FILE:BYTE or --rebase-on-snapshot STORE ' +
      '(`junction data check` says which)', DATA_USAGE);
  }
  if (!existsSync(dataDir)) throw new StorageError(`no data directory at ${dataDir}`);
  if (verb === 'check') return check(dataDir, args);
  return repair(dataDir, args);
}

function check(dataDir: string, args: Args): void {
  const result = checkDataDir(dataDir);
  if (args.json) printJson({ ...result, journal: { ...result.journal, restores: undefined } });
  else {
    printLine(`data dir  ${dataDir}`);
    printJournal(result.journal);
    if (result.stores.length === 0) printLine('no stores (no directory with a log/ in it)');
    for (const store of result.stores) printStore(store);
  }
  if (result.refuses) process.exitCode = 1;
}

async function repair(dataDir: string, args: Args): Promise<void> {
  const cut = args.string('truncate-at');
  const report = cut !== undefined ? await truncateAt(dataDir, cut) : await rebaseOnSnapshot(dataDir, args.string('rebase-on-snapshot')!);
  if (args.json) printJson(report);
  else printRepair(report);
  if (report.after.problems.length > 0) process.exitCode = 1;
}

function printStore(s: StoreReport): void {
  const verdict = s.problems.length > 0 ? 'REFUSES TO START' : s.tornTail ? 'ok (a start cuts a torn tail)' : 'ok';
  printLine(`\n${s.name} (${s.kind === 'command' ? 'command store' : 'log only'})  ${verdict}`);
  const fields: [string, unknown][] = [];
  const log = s.log;
  const records = log.segments.reduce((n, seg) => n + (seg.records ?? 0), 0);
  const bytes = log.segments.reduce((n, seg) => n + seg.fileBytes, 0);
  const stop = log.cleanStop === null ? 'no (the last run did not stop cleanly)'
    : log.cleanStop === 'unreadable' ? 'marker unreadable' : `yes, at offset ${log.cleanStop.nextOffset}`;
  fields.push(['log', `${log.segments.length} segment(s), ${records} readable records, offsets ${range(log.startOffset, log.readableEnd)}, ${bytes} bytes`]);
  fields.push(['clean stop', stop]);
  for (const seg of log.segments) {
    const damaged = seg.validBytes < seg.fileBytes ? `, valid up to byte ${seg.validBytes}` : '';
    fields.push(['segment', `${basename(seg.file)}  ${seg.fileBytes} bytes  ${seg.records} records  offsets ${range(seg.baseOffset, seg.endOffset)}${damaged}`]);
  }
  const j = s.journal;
  if (j) {
    const what = j.restore ? `a start restores offsets ${range(j.restore.fromOffset, j.restore.toOffset)} (${j.restore.records} records) ` +
      `into ${basename(j.restore.file)} at byte ${j.restore.position}` : 'the log has all of them';
    fields.push(['journal', `holds offsets ${range(j.fromOffset, j.toOffset)}; ${what}`]);
  }
  if (s.tornTail) fields.push(['torn tail', `${s.tornTail.file}: ${s.tornTail.bytes} bytes from byte ${s.tornTail.position} (a start cuts them)`]);
  if (log.superseded.length > 0) {
    fields.push(['superseded', `${log.superseded.map((f) => basename(f)).join(', ')}: gap segments inside the span of the gap before them, ` +
      'left by a merge of gaps cut short (a start deletes them)']);
  }
  for (const snap of s.snapshots) {
    fields.push(['snapshot', `${basename(snap.file)}  offset ${snap.offset}  ${snap.bytes} bytes  ${snap.readable ? 'readable' : `UNREADABLE (${snap.reason})`}`]);
  }
  for (const p of s.problems) fields.push(['problem', p]);
  for (const w of s.warnings) fields.push(['warning', w]);
  if (s.repair?.action === 'none') fields.push(['repair', s.repair.loses]);
  else if (s.repair) fields.push(['repair', `junction data repair --${s.repair.action} ${s.repair.target}   (loses ${s.repair.loses})`]);
  printFields(fields.map(([k, v]) => [`  ${k}`, v]));
}

/** The journal: its segments, checkpoint, what a start replays and restores (docs/storage.md). */
function printJournal(j: JournalReport): void {
  if (!j.exists) {
    printLine('\njournal  none (nothing to replay)');
    return;
  }
  printLine(`\njournal  ${j.problems.length > 0 ? 'REFUSES TO START' : j.tornTail ? 'ok (a start cuts a torn tail)' : 'ok'}`);
  const fields: [string, unknown][] = [];
  const checkpoint = j.checkpoint === null ? 'none (replay from the first entry)'
    : j.checkpoint === 'unreadable' ? 'marker unreadable (replay from the first entry)'
    : j.checkpoint === 0 ? 'at entry 0 (none covered yet)' : `entries below ${j.checkpoint} are in their logs`;
  fields.push(['checkpoint', checkpoint]);
  const log = j.log!;
  for (const seg of log.segments) {
    const damaged = seg.validBytes < seg.fileBytes ? `, valid up to byte ${seg.validBytes}` : '';
    fields.push(['segment', `${basename(seg.file)}  ${seg.fileBytes} bytes  ${seg.records ?? '?'} entries  ${range(seg.baseOffset, seg.endOffset)}${damaged}`]);
  }
  for (const file of j.obsolete) fields.push(['covered', `${basename(file)} (below the checkpoint; a start deletes it)`]);
  fields.push(['replay', `${j.entries} entries from ${j.replayFrom}, for ${j.logs.length} log(s); ` +
    `${j.logs.filter((l) => l.restore).length} lack records the journal restores`]);
  if (j.tornTail) fields.push(['torn tail', `${j.tornTail.file}: ${j.tornTail.bytes} bytes from byte ${j.tornTail.position} (a start cuts them)`]);
  for (const p of j.problems) fields.push(['problem', p]);
  if (j.problems.length > 0) {
    fields.push(['repair', 'damage in the journal itself: `junction data repair --truncate-at <journal segment>:<byte>` (loses the ' +
      'entries after the cut, which may be the only copy of acknowledged records); a journal and a log that disagree: compare ' +
      'them, nothing is repaired automatically']);
  }
  printFields(fields.map(([k, v]) => [`  ${k}`, v]));
}

function printRepair(r: RepairReport): void {
  const fields: [string, unknown][] = [['repaired', `${r.store} (${r.action})`]];
  for (const f of r.removed) fields.push(['set aside', `${f.file} (${f.bytes} bytes)`]);
  fields.push(['saved in', `${r.savedIn} (delete it once you no longer need it)`]);
  fields.push(['lost', r.lost]);
  fields.push(['log now', `offsets ${range(r.log.startOffset, r.log.endOffset)}`]);
  fields.push(['start', r.after.problems.length === 0 ? 'would open this store' : `still refuses: ${r.after.problems.join('; ')}`]);
  printFields(fields);
}

function range(start: number, end: number): string {
  return end > start ? `${start}..${end - 1}` : `none (next is ${start})`;
}
