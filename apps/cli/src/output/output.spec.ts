import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar';
import { formatTable } from './table';

class Screen {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 80,
  ) {}
  write(s: string): void {
    this.text += s;
  }
}

describe('terminal output', () => {
  it('draws the bar in place from bigint shares, and nothing when not a terminal', () => {
    const tty = new Screen(true);
    const bar = new ProgressBar(tty);
    bar.update(0n, 1250n, 'start', true);
    bar.update(625n, 1250n, 'half', true);
    bar.update(2n ** 70n, 1250n, 'over', true); // clamped, no float overflow
    bar.finish();
    expect(tty.text).toBe(
      `\r\x1b[2K[${'-'.repeat(24)}]   0%  start` +
        `\r\x1b[2K[${'#'.repeat(12)}${'-'.repeat(12)}]  50%  half` +
        `\r\x1b[2K[${'#'.repeat(24)}] 100%  over\n`,
    );
    const pipe = new Screen(false);
    const quiet = new ProgressBar(pipe);
    quiet.update(1n, 2n, 'x', true);
    quiet.finish();
    expect(pipe.text).toBe('');
  });

  it('keeps the bar within the terminal width', () => {
    const narrow = new Screen(true, 30);
    new ProgressBar(narrow).update(1n, 3n, 'a very long label that would wrap', true);
    expect(narrow.text.replace('\r\x1b[2K', '')).toHaveLength(29);
  });

  it('pads columns and right-aligns amounts', () => {
    expect(
      formatTable(
        [{ header: 'id' }, { header: 'balance', right: true }, { header: 'asset' }],
        [
          ['alice', '-12.50', 'USD'],
          ['coffee', '1250.000000', 'EUR'],
        ],
      ),
    ).toBe(
      'id          balance  asset\n' + 'alice        -12.50  USD\n' + 'coffee  1250.000000  EUR\n',
    );
  });
});
