/**
 * A minimal PNG writer for an opaque RGBA canvas. Why not Skia's encoder: it always runs zlib at
 * level 6 with adaptive row filters and offers no knob; for a 1200×630 chart that is ~25-40 ms, the
 * bulk of a render. Unfiltered rows at level 4 compress to about the same size (~100 KB) in a third
 * of the time, and the deflate runs on libuv's thread pool, off the event loop.
 */
import { crc32, deflate, constants } from 'node:zlib';
import { promisify } from 'node:util';

const deflateAsync = promisify(deflate);
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The rows' buffer of the last PNG of each size, kept for the next (3 MB for a chart, 6 MB for a
 * two-panel digest). A new 3-6 MB buffer per PNG is fresh memory outside V8's heap, which V8
 * answers with a collection (render.ts says why that is costly); reused, the rows are copied into
 * pages already there. A buffer is handed back once its deflate has finished reading it; a PNG
 * encoded while another of its size is (two renders at once) takes a new one.
 */
const spareRows = new Map<number, Buffer>();
function rowsBuffer(size: number): Buffer {
  const spare = spareRows.get(size);
  spareRows.delete(size);
  return spare ?? Buffer.allocUnsafe(size);
}
function giveBack(rows: Buffer): void {
  spareRows.set(rows.length, rows);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * `rgba` is width×height×4 bytes, row-major. The canvas stores premultiplied alpha; that equals
 * straight alpha only because every chart paints an opaque background first (overlay beforeDraw).
 */
export async function encodePng(rgba: Buffer, width: number, height: number, level = 4): Promise<Buffer> {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const stride = width * 4;
  const raw = rowsBuffer((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  let idat: Buffer;
  try {
    idat = await deflateAsync(raw, { level, strategy: constants.Z_DEFAULT_STRATEGY });
  } finally {
    giveBack(raw);
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}
