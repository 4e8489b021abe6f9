import { Worker } from 'node:worker_threads';

/**
 * Samples the process's resident memory every `intervalMs` from a worker thread,
 * so that sampling goes on while the main thread is busy (RSS is per process,
 * whichever thread asks). Start it before taking the baseline: the thread's own
 * memory is then part of the baseline.
 */
export async function startRssSampler(intervalMs = 50): Promise<{ stop(): Promise<{ peak: number; samples: number; maxGapMs: number }> }> {
  const worker = new Worker(
    `
    const { parentPort } = require('node:worker_threads');
    let peak = 0, samples = 0, last = performance.now(), maxGap = 0;
    const sample = () => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      peak = Math.max(peak, process.memoryUsage.rss());
      samples++;
    };
    sample();
    const timer = setInterval(sample, ${intervalMs});
    parentPort.on('message', () => {
      clearInterval(timer);
      sample();
      parentPort.postMessage({ peak, samples, maxGapMs: maxGap });
    });
    parentPort.postMessage('started');
    `,
    { eval: true },
  );
  await new Promise<void>((resolve) => worker.once('message', () => resolve()));
  return {
    async stop() {
      const answer = new Promise<{ peak: number; samples: number; maxGapMs: number }>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const figures = await answer;
      await worker.terminate();
      return figures;
    },
  };
}
