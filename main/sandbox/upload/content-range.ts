// Parses the Content-Range header of a source upload: absent (single request), "bytes a-b/total",
// "part n/total" or "part n/*" (progressive, total unknown until the closing "part N/N").
import { ApiProblem } from '../problems';

export type ContentRange =
  | { kind: 'none' }
  | { kind: 'bytes'; from: number; to: number; total: number }
  | { kind: 'part'; part: number; total: number | null };

const BYTES = /^bytes\s+(\d{1,20})-(\d{1,20})\/(\d{1,20})$/i;
const PART = /^part\s+(\d{1,20})\/(\d{1,20}|\*)$/i;

export function parseContentRange(header: string | string[] | undefined): ContentRange {
  if (header === undefined) return { kind: 'none' };
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  const bytes = BYTES.exec(value);
  if (bytes) return { kind: 'bytes', from: Number(bytes[1]), to: Number(bytes[2]), total: Number(bytes[3]) };
  const part = PART.exec(value);
  if (part) return { kind: 'part', part: Number(part[1]), total: part[2] === '*' ? null : Number(part[2]) };
  throw new ApiProblem(
    'video-content-range-malformed',
    'Content-Range',
    `Received ${JSON.stringify(value.slice(0, 100))}.`,
  );
}
