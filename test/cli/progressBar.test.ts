import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar } from '../../src/cli/progressBar';

const record = { epoch: 2, train_loss: 1.23456, train_acc: 0.5, test_loss: 2, test_acc: 0.25, val_loss: null, val_acc: null, lr: 1e-3, train_s: 3.21, eval_s: 0.5 };

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, s: { isTTY, columns: 100, write: (t: string) => chunks.push(t) } };
}

describe('ProgressBar', () => {
  it('on a terminal redraws one line per batch and leaves one line per epoch', () => {
    const { chunks, s } = stream(true);
    const bar = new ProgressBar(s, 5);
    bar.batch(2, 3, 4, 1.5, 812.4, 75);
    expect(chunks[0]).toMatch(/^\repoch 2\/5 \[#+\.+\] 3\/4 loss 1\.5000 812 samples\/s ETA 1:15\x1b\[K$/);
    const bars = /\[(#+)(\.+)\]/.exec(chunks[0])!;
    expect(bars[1].length / (bars[1].length + bars[2].length)).toBeCloseTo(0.75, 1);
    bar.epoch(record);
    expect(chunks.slice(1).join('')).toBe(
      '\r\x1b[Kepoch 2/5: train loss 1.2346 acc 50.0% | test loss 2.0000 acc 25.0% | 3.2 s train, 0.5 s test\n',
    );
  });

  it('elsewhere writes only the epoch lines', () => {
    const { chunks, s } = stream(false);
    const bar = new ProgressBar(s, 5);
    bar.batch(2, 3, 4, 1.5, 812, 75);
    bar.epoch(record);
    expect(chunks).toEqual(['epoch 2/5: train loss 1.2346 acc 50.0% | test loss 2.0000 acc 25.0% | 3.2 s train, 0.5 s test\n']);
  });

  it('shows validation numbers when there are some, and marks the epoch that becomes the selected one', () => {
    const { chunks, s } = stream(false);
    const bar = new ProgressBar(s, 5);
    const withVal = { ...record, val_loss: 1.5, val_acc: 0.4, lr: 1e-3 };
    bar.epoch(withVal, 2);
    bar.epoch({ ...withVal, epoch: 3 }, 2);
    // With the validation size: ± the standard error of that accuracy, √(p̃(1−p̃)/n), p̃ = (40·0.4 + 1)/42.
    bar.epoch({ ...withVal, epoch: 4 }, 2, 40);
    // Without validation the last epoch is always the selected one: nothing to mark.
    bar.epoch({ ...record, val_loss: null, val_acc: null, lr: 1e-3 }, 2);
    expect(chunks).toEqual([
      'epoch 2/5: train loss 1.2346 acc 50.0% | val loss 1.5000 acc 40.0% | test loss 2.0000 acc 25.0% | 3.2 s train, 0.5 s test | selected\n',
      'epoch 3/5: train loss 1.2346 acc 50.0% | val loss 1.5000 acc 40.0% | test loss 2.0000 acc 25.0% | 3.2 s train, 0.5 s test\n',
      'epoch 4/5: train loss 1.2346 acc 50.0% | val loss 1.5000 acc 40.0% ±7.8 | test loss 2.0000 acc 25.0% | 3.2 s train, 0.5 s test\n',
      'epoch 2/5: train loss 1.2346 acc 50.0% | test loss 2.0000 acc 25.0% | 3.2 s train, 0.5 s test\n',
    ]);
  });

  it('formats durations', () => {
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('--:--');
  });
});
