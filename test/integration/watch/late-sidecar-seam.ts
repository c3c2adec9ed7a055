// Stands in for UploadEngine.attachSidecar until the engine has it (asked of the engine's owner, who rewrites
// engine.ts): the same two steps it is to take, the job's own media check first, then SidecarDelivery.attach,
// reached through the engine's parts. Once the engine has the method, the engine is returned as it is.
import type { MediaCheck } from '../../../main/uploads/media-check';
import type { JobStore } from '../../../main/uploads/job-store';
import type { UploadEngine } from '../../../main/uploads/index';
import type { SidecarDelivery } from '../../../main/uploads/sidecar-delivery';
import type { WatchEngine } from '../../../main/watch/index';

export function withAttachSidecar(engine: UploadEngine): WatchEngine {
  const own = engine as WatchEngine;
  if (typeof own.attachSidecar === 'function') return own;
  const parts = engine as unknown as { store: JobStore; media: MediaCheck; sidecars: SidecarDelivery };
  return Object.assign(engine, {
    async attachSidecar(jobId: string, path: string) {
      const job = parts.store.get(jobId);
      if (!job) return { outcome: 'ignored' as const, reason: 'its video is no longer in the queue' };
      await parts.media.ensure(job);
      return parts.sidecars.attach(job, path);
    },
  });
}
