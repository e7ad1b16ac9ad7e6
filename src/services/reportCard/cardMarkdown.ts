/**
 * A report card as Markdown, ready to paste into a paper's notes or supplement: the headline number with what
 * its interval is, the per-seed table with the pooled row, the notes on the intervals, then protocol, data,
 * backend and time, and the config (the differences from the closest preset, then every field).
 */
import type { ReportCard } from '../../shared/reportCard';
import { delaysText, headline, pct, pctInterval, seconds } from '../../shared/reportCardText';
import { configEntries } from './configEntries';

/** Pipes would end a table cell; newlines would end the row. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.map(cell).join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

export function cardMarkdown(card: ReportCard): string {
  const p = card.pooled;
  const n = card.data?.testSamples;
  const lines: string[] = [`# Report card: ${card.name}`, '', `**${headline(card)}**`, ''];
  for (const w of card.warnings) lines.push(`> Warning: ${w}`, '');
  lines.push(
    ...table(
      ['seed', 'status', 'epochs run', 'selected epoch', 'val acc', 'test acc (correct / n)', `test 95 % CI (Wilson${n ? `, n = ${n}` : ''})`, 'wall time'],
      card.rows.map((r) => [
        String(r.seed),
        r.status + (r.stoppedEarly ? ', stopped early' : ''),
        String(r.epochsRun),
        r.selectedEpoch === null ? '—' : String(r.selectedEpoch),
        pct(r.valAcc),
        r.testAcc === null ? '—' : `${pct(r.testAcc)}${r.testCorrect !== null ? ` (${r.testCorrect} / ${r.testSamples})` : ''}`,
        pctInterval(r.testInterval),
        seconds(r.wallS),
      ]),
    ),
  );
  lines.push(
    `| **mean ± std (${p.n} seed${p.n === 1 ? '' : 's'})** | | | | ${pct(p.meanValAcc)} | **${pct(p.meanTestAcc)} ± ${pct(p.stdTestAcc)}** | ${pctInterval(p.meanInterval)} (t, of the mean) | ${seconds(p.totalWallS)} total |`,
    '',
    'What the intervals are:',
    '',
    ...card.notes.map((x) => `- ${x}`),
    '',
    '## Protocol',
    '',
  );
  if (card.protocol) {
    const pr = card.protocol;
    lines.push(
      `- Validation: ${pr.validation} (kind ${pr.validationKind}, ${pr.validationSamples} samples).`,
      `- Selection: ${pr.selection}.`,
      `- Epochs: ${pr.epochs} asked for; run per seed: ${pr.epochsRun.join(', ')}.`,
      `- Seeds: ${card.seeds.join(', ')} (${card.done} done).`,
    );
  } else lines.push('- No finished run records its protocol yet.');
  lines.push('', '## Data', '');
  if (card.data) {
    const d = card.data;
    lines.push(`- Dataset: ${d.name}`, `- Training set: ${d.trainSamples} samples, fingerprint \`${d.trainFingerprint}\``, `- Test set: ${d.testSamples} samples, fingerprint \`${d.testFingerprint}\``);
  } else lines.push('- Not recorded (no finished run reports its data).');
  lines.push(
    '',
    '## Backend and time',
    '',
    `- Backend: ${card.backend ?? '—'}`,
    `- Wall time per seed: ${card.rows.map((r) => `${r.seed}: ${seconds(r.wallS)}`).join(', ')}`,
    `- Total: ${seconds(p.totalWallS)} of runs; ${seconds(p.elapsedS)} from the first start to the last end`,
    '',
    '## Config',
    '',
  );
  if (card.config) {
    const cp = card.closestPreset!;
    lines.push(
      cp.differences.length
        ? `Preset \`${cp.id}\` with ${cp.differences.map((d) => `${d.key} ${d.value} (preset: ${d.preset})`).join(', ')}; seed varied as above.`
        : `Preset \`${cp.id}\` as it is; seed varied as above.`,
      '',
      `Delays: ${delaysText(card.config)}.`,
      '',
      ...table(['option', 'value'], configEntries(card.config).map(([k, v]) => [k, k === 'seed' ? card.seeds.join(', ') : v])),
    );
  } else lines.push('Not recorded yet.');
  lines.push('', `Made by Spiking Workbench ${card.appVersion} on ${card.created} from \`${card.dir}\` (\`npm run cli -- sweep card DIR\` remakes it).`, '');
  return lines.join('\n');
}
