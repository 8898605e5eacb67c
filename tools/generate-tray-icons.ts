/**
 * Draws Idlehive's tray icons (one per tray state, 16 px and 32 px @2x) and the
 * 512 px app icon as PNG files, with no image library: shapes are tested per
 * sample (8x8 samples per pixel for anti-aliasing) and written with zlib.
 * The output is committed; run this again after changing a shape or colour:
 *
 *   node tools/generate-tray-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
type Point = readonly [number, number];
/** True when the point (in the icon's 0..1 square) is inside the shape. */
type Shape = (x: number, y: number) => boolean;
type Paint = Rgba | ((x: number, y: number) => Rgba);
interface Layer {
  shape: Shape;
  paint: Paint;
}

// Shapes, in a unit square with y pointing down.

function polygon(points: readonly Point[]): Shape {
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i] as Point;
      const [xj, yj] = points[j] as Point;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}

function circle(cx: number, cy: number, r: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function ring(cx: number, cy: number, r: number, width: number): Shape {
  return (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) <= width / 2;
}

/** A line segment with round caps. */
function stroke(from: Point, to: Point, width: number): Shape {
  const [ax, ay] = from;
  const [bx, by] = to;
  const lengthSquared = (bx - ax) ** 2 + (by - ay) ** 2;
  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / lengthSquared));
    return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= width / 2;
  };
}

function roundedRect(left: number, top: number, width: number, height: number, radius: number): Shape {
  return (x, y) => {
    const dx = Math.max(left + radius - x, 0, x - (left + width - radius));
    const dy = Math.max(top + radius - y, 0, y - (top + height - radius));
    return x >= left && x <= left + width && y >= top && y <= top + height && dx * dx + dy * dy <= radius * radius;
  };
}

/** A pointy-top hexagon: the honeycomb cell every Idlehive mark is built on. */
function hexagon(cx: number, cy: number, r: number): Shape {
  const corners = Array.from({ length: 6 }, (_, i): Point => {
    const angle = (Math.PI / 3) * i - Math.PI / 2;
    return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
  });
  return polygon(corners);
}

function scaled(points: readonly Point[], cx: number, cy: number, scale: number): Point[] {
  return points.map(([x, y]) => [cx + (x - 0.5) * scale, cy + (y - 0.5) * scale]);
}

/** The spark: a lightning bolt, drawn in a unit box. */
const BOLT: readonly Point[] = [
  [0.6, 0.04],
  [0.16, 0.58],
  [0.46, 0.58],
  [0.38, 0.96],
  [0.84, 0.4],
  [0.54, 0.4],
];

// Rendering.

const SAMPLES = 8;

function render(size: number, layers: readonly Layer[]): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Premultiplied accumulation over the samples, painting layers in order.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          let sr = 0;
          let sg = 0;
          let sb = 0;
          let sa = 0;
          for (const layer of layers) {
            if (!layer.shape(x, y)) continue;
            const [lr, lg, lb, la] = typeof layer.paint === 'function' ? layer.paint(x, y) : layer.paint;
            const alpha = la / 255;
            sr = lr * alpha + sr * (1 - alpha);
            sg = lg * alpha + sg * (1 - alpha);
            sb = lb * alpha + sb * (1 - alpha);
            sa = alpha + sa * (1 - alpha);
          }
          r += sr;
          g += sg;
          b += sb;
          a += sa;
        }
      }
      const count = SAMPLES * SAMPLES;
      const offset = (py * size + px) * 4;
      const alpha = a / count;
      pixels[offset] = alpha > 0 ? Math.round(r / count / alpha) : 0;
      pixels[offset + 1] = alpha > 0 ? Math.round(g / count / alpha) : 0;
      pixels[offset + 2] = alpha > 0 ? Math.round(b / count / alpha) : 0;
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG, every row with filter type 0. */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// The artwork.

const WHITE: Rgba = [255, 255, 255, 255];
const INK: Rgba = [59, 36, 5, 255];

/** Tray states and their cell colours: the same families as the dashboard's state pills. */
const TRAY_ICONS: Record<string, { cell: Rgba; glyph: (ink: Rgba) => Layer[] }> = {
  earning: {
    cell: [22, 140, 68, 255],
    glyph: (ink) => [{ shape: polygon(scaled(BOLT, 0.5, 0.5, 0.66)), paint: ink }],
  },
  waiting: {
    cell: [232, 150, 12, 255],
    glyph: () => [
      { shape: ring(0.5, 0.5, 0.25, 0.09), paint: INK },
      { shape: stroke([0.5, 0.5], [0.5, 0.33], 0.085), paint: INK },
      { shape: stroke([0.5, 0.5], [0.63, 0.5], 0.085), paint: INK },
    ],
  },
  paused: {
    cell: [84, 99, 135, 255],
    glyph: (ink) => [
      // Whole pixels at 16 and 32 px, so the bars stay sharp.
      { shape: roundedRect(0.3125, 0.28, 0.125, 0.44, 0.02), paint: ink },
      { shape: roundedRect(0.5625, 0.28, 0.125, 0.44, 0.02), paint: ink },
    ],
  },
  error: {
    cell: [204, 38, 38, 255],
    glyph: (ink) => [
      { shape: roundedRect(0.4375, 0.22, 0.125, 0.34, 0.04), paint: ink },
      { shape: circle(0.5, 0.72, 0.07), paint: ink },
    ],
  },
};

function trayIcon(name: string): Layer[] {
  const icon = TRAY_ICONS[name];
  if (!icon) throw new Error(`No tray icon named ${name}`);
  return [{ shape: hexagon(0.5, 0.5, 0.49), paint: icon.cell }, ...icon.glyph(WHITE)];
}

function mix(a: Rgba, b: Rgba, t: number): Rgba {
  return [0, 1, 2, 3].map((i) => Math.round((a[i] as number) * (1 - t) + (b[i] as number) * t)) as unknown as Rgba;
}

function appIcon(): Layer[] {
  const top: Rgba = [250, 190, 70, 255];
  const bottom: Rgba = [226, 118, 10, 255];
  const cream: Rgba = [255, 248, 232, 255];
  // Six faint neighbour cells behind the main one hint at the hive.
  const neighbours = Array.from({ length: 6 }, (_, i): Layer => {
    const angle = (Math.PI / 3) * i;
    const distance = 0.31;
    return {
      shape: hexagon(0.5 + distance * Math.cos(angle), 0.5 + distance * Math.sin(angle), 0.165),
      paint: [255, 255, 255, 46],
    };
  });
  return [
    { shape: roundedRect(0.04, 0.04, 0.92, 0.92, 0.2), paint: (_x, y) => mix(top, bottom, (y - 0.04) / 0.92) },
    ...neighbours,
    { shape: hexagon(0.5, 0.5, 0.3), paint: cream },
    { shape: polygon(scaled(BOLT, 0.5, 0.5, 0.38)), paint: INK },
  ];
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources');
  mkdirSync(path.join(root, 'tray'), { recursive: true });
  for (const name of Object.keys(TRAY_ICONS)) {
    // Electron picks name@2x.png on high-density displays by itself.
    writeFileSync(path.join(root, 'tray', `${name}.png`), encodePng(16, render(16, trayIcon(name))));
    writeFileSync(path.join(root, 'tray', `${name}@2x.png`), encodePng(32, render(32, trayIcon(name))));
  }
  writeFileSync(path.join(root, 'icon.png'), encodePng(512, render(512, appIcon())));
  console.log(`Wrote ${Object.keys(TRAY_ICONS).length * 2} tray icons and icon.png to ${root}`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
