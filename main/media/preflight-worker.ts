// The preflight worker thread: serves the pool (main/media/preflight.ts) with each file's probe, batches of files
// in and batches of answers out (main/media/preflight-serve.ts).
import { parentPort } from 'node:worker_threads';
import { servePreflight } from './preflight-serve';
import { probeFile } from './probe';

const port = parentPort;
if (!port) throw new Error('preflight-worker runs as a worker thread, started by the preflight pool');

servePreflight(port, probeFile);
