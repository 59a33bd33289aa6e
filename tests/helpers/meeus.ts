/**
 * Enough astronomy to check a table of Lunar New Year dates, from Jean Meeus, Astronomical
 * Algorithms (2nd ed., 1998): the true new moons of chapter 49 (accurate to well under a minute
 * in this century), the Sun's apparent longitude of chapter 25 (its lower-accuracy theory, about
 * 0.01°: a quarter of an hour of the Sun's motion) and, from it, the moment the Sun reaches a
 * longitude by chapter 27's iteration (a solstice at 270°, the Chinese calendar's principal terms,
 * 中氣, every 30°). Times are Julian Ephemeris Days (TT); `ttToUtcMs` takes off ΔT. For tests only:
 * the bot keeps a table, never an ephemeris.
 */

const RAD = Math.PI / 180;
const sin = (deg: number): number => Math.sin(deg * RAD);
const norm = (deg: number): number => ((deg % 360) + 360) % 360;

/** Meeus 49.1 and its periodic terms: the JDE (TT) of true new moon number k (k = 0 on 2000-01-06). */
export function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  let jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3;
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;
  jde +=
    -0.4072 * sin(Mp) +
    0.17241 * E * sin(M) +
    0.01608 * sin(2 * Mp) +
    0.01039 * sin(2 * F) +
    0.00739 * E * sin(Mp - M) -
    0.00514 * E * sin(Mp + M) +
    0.00208 * E * E * sin(2 * M) -
    0.00111 * sin(Mp - 2 * F) -
    0.00057 * sin(Mp + 2 * F) +
    0.00056 * E * sin(2 * Mp + M) -
    0.00042 * sin(3 * Mp) +
    0.00042 * E * sin(M + 2 * F) +
    0.00038 * E * sin(M - 2 * F) -
    0.00024 * E * sin(2 * Mp - M) -
    0.00017 * sin(Om) -
    0.00007 * sin(Mp + 2 * M) +
    0.00004 * sin(2 * Mp - 2 * F) +
    0.00004 * sin(3 * M) +
    0.00003 * sin(Mp + M - 2 * F) +
    0.00003 * sin(2 * Mp + 2 * F) -
    0.00003 * sin(Mp + M + 2 * F) +
    0.00003 * sin(Mp - M + 2 * F) -
    0.00002 * sin(Mp - M - 2 * F) -
    0.00002 * sin(3 * Mp + M) +
    0.00002 * sin(4 * Mp);
  // The planetary arguments' additional corrections.
  const A: readonly (readonly [number, number, number])[] = [
    [299.77, 0.107408, 0.000325],
    [251.88, 0.016321, 0.000165],
    [251.83, 26.651886, 0.000164],
    [349.42, 36.412478, 0.000126],
    [84.66, 18.206239, 0.00011],
    [141.74, 53.303771, 0.000062],
    [207.14, 2.453732, 0.00006],
    [154.84, 7.30686, 0.000056],
    [34.52, 27.261239, 0.000047],
    [207.19, 0.121824, 0.000042],
    [291.34, 1.844379, 0.00004],
    [161.72, 24.198154, 0.000037],
    [239.56, 25.513099, 0.000035],
    [331.55, 3.592518, 0.000023],
  ];
  A.forEach(([a, b, c], i) => {
    // A1 alone has a T² term.
    jde += c * sin(a + b * k - (i === 0 ? 0.009173 * T2 : 0));
  });
  return jde;
}

/** Meeus 25 (lower accuracy): the Sun's apparent longitude in degrees at `jde`. */
export function sunApparentLongitude(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) + (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
  const Om = 125.04 - 1934.136 * T;
  return norm(L0 + C - 0.00569 - 0.00478 * sin(Om));
}

/** Meeus 27's iteration: the JDE at which the Sun's apparent longitude is `deg`, starting near `guess`. */
export function sunAtLongitude(deg: number, guess: number): number {
  let jde = guess;
  for (let i = 0; i < 20; i++) {
    const step = 58 * sin(deg - sunApparentLongitude(jde));
    jde += step;
    if (Math.abs(step) < 1e-7) break;
  }
  return jde;
}

/** The December solstice of `year` (the Sun at 270°), a JDE. */
export function decemberSolstice(year: number): number {
  return sunAtLongitude(270, julianDay(year, 12, 21));
}

/** The Julian Day of 00:00 UT of a Gregorian date (Meeus 7.1). */
export function julianDay(year: number, month: number, day: number): number {
  const [y, m] = month <= 2 ? [year - 1, month + 12] : [year, month];
  const a = Math.floor(y / 100);
  return Math.floor(365.25 * (y + 4716)) + Math.floor(30.6001 * (m + 1)) + day + 2 - a + Math.floor(a / 4) - 1524.5;
}

/**
 * ΔT = TT − UT in seconds: Espenak and Meeus' polynomial for 2005-2050 (NASA's eclipse pages). It
 * runs some seconds above what was measured in the 2020s; a minute either way moves nothing here.
 */
export const deltaTSeconds = (year: number): number => {
  const t = year - 2000;
  return 62.92 + 0.32217 * t + 0.005589 * t * t;
};

/** A JDE (TT) as milliseconds of UTC. */
export function ttToUtcMs(jde: number): number {
  const ms = (jde - 2440587.5) * 86_400_000;
  return ms - deltaTSeconds(new Date(ms).getUTCFullYear()) * 1000;
}
