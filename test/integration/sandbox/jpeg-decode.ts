// Test-only baseline JPEG decoder (ITU T.81: 8-bit sequential Huffman, 1×1 sampling, full IDCT), written apart from
// the sandbox's encoder so a thumbnail is proven to decode into the picture it claims, not just to start with FFD8.

export interface DecodedImage {
  width: number;
  height: number;
  /** width × height RGB triples, row by row */
  rgb: Uint8Array;
}

interface Component {
  id: number;
  quantTable: number;
  dcTable: number;
  acTable: number;
  predictor: number;
  /** decoded samples, blocksWide × blocksHigh blocks of 8×8 */
  samples: Float64Array;
}

type HuffmanTable = Map<string, number>;

/** natural (row-major) index of each zig-zag position */
const ZIGZAG: number[] = (() => {
  const order: number[] = [];
  for (let sum = 0; sum < 15; sum += 1) {
    const cells: number[] = [];
    for (let row = 0; row < 8; row += 1) {
      const col = sum - row;
      if (col >= 0 && col < 8) cells.push(row * 8 + col);
    }
    // even diagonals run bottom-left to top-right (row decreasing)
    order.push(...(sum % 2 === 0 ? cells.reverse() : cells));
  }
  return order;
})();

function huffmanTable(counts: Uint8Array, symbols: Uint8Array): HuffmanTable {
  const table: HuffmanTable = new Map();
  let code = 0;
  let next = 0;
  counts.forEach((count, index) => {
    for (let i = 0; i < count; i += 1) table.set(`${index + 1}:${code++}`, symbols[next++]!);
    code <<= 1;
  });
  return table;
}

class BitReader {
  private byte = 0;
  private left = 0;
  constructor(
    private readonly data: Buffer,
    public offset: number,
  ) {}

  bit(): number {
    if (this.left === 0) {
      const value = this.data[this.offset];
      if (value === undefined) throw new Error('JPEG scan runs past the end of the file');
      if (value === 0xff) {
        if (this.data[this.offset + 1] !== 0x00)
          throw new Error(`marker FF${this.data[this.offset + 1]?.toString(16)} inside the scan data`);
        this.offset += 1;
      }
      this.offset += 1;
      this.byte = value;
      this.left = 8;
    }
    this.left -= 1;
    return (this.byte >> this.left) & 1;
  }

  bits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i += 1) value = (value << 1) | this.bit();
    return value;
  }

  decode(table: HuffmanTable): number {
    let code = 0;
    for (let length = 1; length <= 16; length += 1) {
      code = (code << 1) | this.bit();
      const symbol = table.get(`${length}:${code}`);
      if (symbol !== undefined) return symbol;
    }
    throw new Error('invalid Huffman code in the scan');
  }

  /** a magnitude of `size` bits, extended to its signed value (T.81 F.2.2.1) */
  signed(size: number): number {
    if (size === 0) return 0;
    const value = this.bits(size);
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
  }
}

function idct(coefficients: Float64Array, out: Float64Array, outOffset: number, stride: number): void {
  const c = (u: number) => (u === 0 ? Math.SQRT1_2 : 1);
  for (let y = 0; y < 8; y += 1) {
    for (let x = 0; x < 8; x += 1) {
      let sum = 0;
      for (let v = 0; v < 8; v += 1) {
        for (let u = 0; u < 8; u += 1) {
          const value = coefficients[v * 8 + u]!;
          if (value !== 0)
            sum +=
              c(u) *
              c(v) *
              value *
              Math.cos(((2 * x + 1) * u * Math.PI) / 16) *
              Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        }
      }
      out[outOffset + y * stride + x] = sum / 4 + 128;
    }
  }
}

export function decodeJpeg(data: Buffer): DecodedImage {
  if (data[0] !== 0xff || data[1] !== 0xd8) throw new Error('not a JPEG: no SOI marker');
  const quant = new Map<number, Uint8Array>();
  const dcTables = new Map<number, HuffmanTable>();
  const acTables = new Map<number, HuffmanTable>();
  let width = 0;
  let height = 0;
  let components: Component[] = [];
  let offset = 2;
  for (;;) {
    if (data[offset] !== 0xff) throw new Error(`expected a marker at byte ${offset}`);
    const marker = data[offset + 1]!;
    const length = data.readUInt16BE(offset + 2);
    const body = data.subarray(offset + 4, offset + 2 + length);
    offset += 2 + length;
    if (marker === 0xdb) {
      for (let at = 0; at < body.length; at += 65) {
        if (body[at]! >> 4 !== 0) throw new Error('16-bit quantization tables are not supported');
        quant.set(body[at]! & 15, body.subarray(at + 1, at + 65));
      }
    } else if (marker === 0xc4) {
      for (let at = 0; at < body.length;) {
        const counts = body.subarray(at + 1, at + 17);
        const total = counts.reduce((sum, count) => sum + count, 0);
        const table = huffmanTable(counts, body.subarray(at + 17, at + 17 + total));
        (body[at]! >> 4 === 0 ? dcTables : acTables).set(body[at]! & 15, table);
        at += 17 + total;
      }
    } else if (marker === 0xc0) {
      if (body[0] !== 8) throw new Error('only 8-bit samples are supported');
      height = body.readUInt16BE(1);
      width = body.readUInt16BE(3);
      components = [];
      for (let i = 0; i < body[5]!; i += 1) {
        const [id, sampling, quantTable] = [body[6 + i * 3]!, body[7 + i * 3]!, body[8 + i * 3]!];
        if (sampling !== 0x11) throw new Error('only 1×1 sampling is supported');
        components.push({ id, quantTable, dcTable: 0, acTable: 0, predictor: 0, samples: new Float64Array(0) });
      }
    } else if (marker >= 0xc1 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      throw new Error(`unsupported JPEG process (SOF marker FF${marker.toString(16)})`);
    } else if (marker === 0xda) {
      return decodeScan(data, offset, body, { width, height, components, quant, dcTables, acTables });
    }
  }
}

interface Frame {
  width: number;
  height: number;
  components: Component[];
  quant: Map<number, Uint8Array>;
  dcTables: Map<number, HuffmanTable>;
  acTables: Map<number, HuffmanTable>;
}

function decodeScan(data: Buffer, offset: number, header: Buffer, frame: Frame): DecodedImage {
  const { width, height, components } = frame;
  if (components.length !== 3 || header[0] !== 3) throw new Error('only 3-component interleaved scans are supported');
  for (let i = 0; i < 3; i += 1) {
    const component = components.find((candidate) => candidate.id === header[1 + i * 2])!;
    component.dcTable = header[2 + i * 2]! >> 4;
    component.acTable = header[2 + i * 2]! & 15;
  }
  const blocksWide = Math.ceil(width / 8);
  const blocksHigh = Math.ceil(height / 8);
  const stride = blocksWide * 8;
  for (const component of components) component.samples = new Float64Array(stride * blocksHigh * 8);
  const reader = new BitReader(data, offset);
  const coefficients = new Float64Array(64);
  for (let by = 0; by < blocksHigh; by += 1) {
    for (let bx = 0; bx < blocksWide; bx += 1) {
      for (const component of components) {
        const q = frame.quant.get(component.quantTable)!;
        coefficients.fill(0);
        component.predictor += reader.signed(reader.decode(frame.dcTables.get(component.dcTable)!));
        coefficients[0] = component.predictor * q[0]!;
        for (let k = 1; k < 64; k += 1) {
          const symbol = reader.decode(frame.acTables.get(component.acTable)!);
          const [run, size] = [symbol >> 4, symbol & 15];
          if (size === 0) {
            if (run !== 15) break;
            k += 15;
            continue;
          }
          k += run;
          coefficients[ZIGZAG[k]!] = reader.signed(size) * q[k]!;
        }
        idct(coefficients, component.samples, by * 8 * stride + bx * 8, stride);
      }
    }
  }
  if (data[reader.offset] !== 0xff || data[reader.offset + 1] !== 0xd9 || reader.offset + 2 !== data.length) {
    throw new Error(`scan data does not end with EOI at the end of the file (byte ${reader.offset} of ${data.length})`);
  }
  const rgb = new Uint8Array(width * height * 3);
  const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const [luma, cb, cr] = components.map((component) => component.samples[y * stride + x]!) as [
        number,
        number,
        number,
      ];
      const at = (y * width + x) * 3;
      rgb[at] = clamp(luma + 1.402 * (cr - 128));
      rgb[at + 1] = clamp(luma - 0.344136 * (cb - 128) - 0.714136 * (cr - 128));
      rgb[at + 2] = clamp(luma + 1.772 * (cb - 128));
    }
  }
  return { width, height, rgb };
}
