// Replies that stream a stored file (uploaded captions, chapters, thumbnails, logos) with its content type.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiProblem } from './problems';

/** 200 with the file's bytes (headers only for HEAD); 404 problem when the file is gone. */
export function sendStoredFile(req: IncomingMessage, res: ServerResponse, file: string, contentType: string): void {
  if (!existsSync(file)) throw new ApiProblem('resource-not-found', 'file');
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', statSync(file).size);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
