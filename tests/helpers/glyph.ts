/**
 * How a character draws in a CSS font: 1 where the 40×40 cell is inked. One canvas for every glyph
 * (cleared each time): a new one per character was most of the CJK test's time. The glyph tests and
 * their child process (fonts-child.ts) read tofu with it.
 */
import { createCanvas } from '@napi-rs/canvas';

const SIZE = 40;
const ctx = createCanvas(SIZE, SIZE).getContext('2d');

export function glyph(ch: string, css: string): Uint8Array {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, SIZE, SIZE);
  ctx.fillStyle = '#000';
  ctx.font = css;
  ctx.textBaseline = 'middle';
  ctx.fillText(ch, 4, SIZE / 2);
  const d = ctx.getImageData(0, 0, SIZE, SIZE).data;
  const ink = new Uint8Array(SIZE * SIZE);
  for (let i = 0; i < ink.length; i++) ink[i] = d[i * 4]! < 128 ? 1 : 0;
  return ink;
}
