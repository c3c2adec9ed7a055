// A minimal baseline JPEG (JFIF, ITU T.81) encoder for pictures drawn in flat 8×8 blocks: every block is one colour,
// so only DC coefficients are coded and every AC run is an immediate end-of-block. No dependency; enough for posters.

export type Rgb = readonly [number, number, number];

export interface BlockPicture {
  width: number;
  height: number;
  /** the colour of the 8×8 block in column `bx`, row `by` (blocks past the picture's edge are cropped by decoders) */
  colorAt(bx: number, by: number): Rgb;
}

/** Annex K.3 luminance DC table: code lengths 1–16 and the categories (0–11) they code. */
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** AC table with a single symbol: 0x00 end-of-block, code "0". */
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0x00];

interface Code {
  bits: number;
  length: number;
}

/** Canonical Huffman codes (T.81 Annex C) for the given code-length counts and symbols. */
function canonicalCodes(counts: number[], symbols: number[]): Map<number, Code> {
  const codes = new Map<number, Code>();
  let code = 0;
  let next = 0;
  counts.forEach((count, index) => {
    for (let i = 0; i < count; i += 1) codes.set(symbols[next++]!, { bits: code++, length: index + 1 });
    code <<= 1;
  });
  return codes;
}

const DC_CODES = canonicalCodes(DC_BITS, DC_VALUES);
const EOB = canonicalCodes(AC_BITS, AC_VALUES).get(0x00)!;

/** Packs entropy-coded bits MSB first, stuffing 0x00 after every 0xFF byte and padding the end with 1 bits. */
class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  write(bits: number, length: number): void {
    for (let i = length - 1; i >= 0; i -= 1) {
      this.current = (this.current << 1) | ((bits >> i) & 1);
      this.used += 1;
      if (this.used === 8) this.flushByte();
    }
  }

  finish(): number[] {
    if (this.used > 0) this.write((1 << (8 - this.used)) - 1, 8 - this.used);
    return this.bytes;
  }

  private flushByte(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0x00);
    this.current = 0;
    this.used = 0;
  }
}

/** JFIF YCbCr of an RGB colour, each 0–255. */
function toYCbCr([r, g, b]: Rgb): [number, number, number] {
  const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));
  return [
    clamp(0.299 * r + 0.587 * g + 0.114 * b),
    clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
    clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
  ];
}

/** Codes one DC difference: its category's Huffman code, then the category's low bits of the value. */
function writeDc(out: BitWriter, diff: number): void {
  const magnitude = Math.abs(diff);
  const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1;
  const code = DC_CODES.get(category)!;
  out.write(code.bits, code.length);
  if (category > 0) out.write(diff >= 0 ? diff : diff + (1 << category) - 1, category);
}

function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

function headers(width: number, height: number): number[] {
  const jfif = [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  // One quantization table of ones: a flat block's DC coefficient, 8 × (value − 128), is coded exactly.
  const quantization = [0x00, ...new Array<number>(64).fill(1)];
  const components = [1, 2, 3].flatMap((id) => [id, 0x11, 0]);
  const frame = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, ...components];
  const tables = [0x00, ...DC_BITS, ...DC_VALUES, 0x10, ...AC_BITS, ...AC_VALUES];
  const scan = [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0];
  return [
    0xff,
    0xd8,
    ...segment(0xe0, jfif),
    ...segment(0xdb, quantization),
    ...segment(0xc0, frame),
    ...segment(0xc4, tables),
    ...segment(0xda, scan),
  ];
}

/** Encodes the picture as a baseline 4:4:4 JPEG. */
export function encodeJpeg(picture: BlockPicture): Buffer {
  const { width, height } = picture;
  if (width < 1 || height < 1 || width > 0xffff || height > 0xffff)
    throw new Error(`JPEG size ${width}×${height} is out of range`);
  const out = new BitWriter();
  const previous = [0, 0, 0];
  for (let by = 0; by < Math.ceil(height / 8); by += 1) {
    for (let bx = 0; bx < Math.ceil(width / 8); bx += 1) {
      toYCbCr(picture.colorAt(bx, by)).forEach((value, component) => {
        const dc = 8 * (value - 128);
        writeDc(out, dc - previous[component]!);
        previous[component] = dc;
        out.write(EOB.bits, EOB.length);
      });
    }
  }
  return Buffer.from([...headers(width, height), ...out.finish(), 0xff, 0xd9]);
}
