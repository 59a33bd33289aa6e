/**
 * Places as people name them where a time zone is asked for (`/digest 08:00 taipei`, `/quiet
 * 23-7 台北`): a city of an IANA zone's name, written any way (`Taipei`, `new_york`, `hongkong`),
 * or a city or country in the words the bot's readers use, to the zone whose clock they mean.
 * Pure: the zone list is an argument.
 */
import { foldWord } from './han-fold.ts';
import { nearestName } from './nearest.ts';
import { quietMove } from './i18n/quiet-move.ts';

/**
 * Where the bot's readers are, in Chinese (both scripts) and in the English words that are not an
 * IANA city: a name here is one clock (China is one zone; the US, several, so never "美國").
 */
const PLACES: Readonly<Record<string, string>> = {
  ...named('Asia/Taipei', ['台北', '臺北', '台灣', '臺灣', '台湾', '台中', '臺中', '台南', '臺南', '高雄', '新竹', '桃園', 'taiwan']),
  ...named('Asia/Hong_Kong', ['香港']),
  ...named('Asia/Macau', ['澳門', '澳门', 'macao']),
  // China's cities as its readers name theirs: the four municipalities (天津, 重庆) and the large cities, in both scripts where
  // the fold (han-fold.ts) does not make them one, and in Pinyin where no IANA zone is named so (Asia/Chongqing is a link, unlisted).
  ...named('Asia/Shanghai', [
    '上海',
    '北京',
    '天津',
    '重庆',
    '重慶',
    '深圳',
    '廣州',
    '广州',
    '杭州',
    '成都',
    '南京',
    '武汉',
    '武漢',
    '西安',
    '苏州',
    '厦门',
    '廈門',
    '青岛',
    '青島',
    '长沙',
    '郑州',
    '鄭州',
    '沈阳',
    '瀋陽',
    '宁波',
    '寧波',
    '合肥',
    '济南',
    '濟南',
    '福州',
    '昆明',
    '大连',
    '哈尔滨',
    '哈爾濱',
    '东莞',
    '東莞',
    '佛山',
    '中國',
    '中国',
    'beijing',
    'shenzhen',
    'guangzhou',
    'tianjin',
    'chongqing',
    'hangzhou',
    'chengdu',
    'nanjing',
    'wuhan',
    'china',
  ]),
  ...named('Asia/Tokyo', ['東京', '东京', '日本', 'japan']),
  ...named('Asia/Seoul', ['首爾', '首尔', '韓國', '韩国', 'korea']),
  ...named('Asia/Singapore', ['新加坡']),
  ...named('Asia/Kuala_Lumpur', ['吉隆坡', '馬來西亞', '马来西亚', 'malaysia']),
  ...named('Asia/Bangkok', ['曼谷', '泰國', '泰国', 'thailand']),
  ...named('Asia/Dubai', ['杜拜', '迪拜']),
  // Runtimes list these by their older names (Asia/Calcutta, Asia/Saigon, Europe/Kiev; digest-schedule.ts RENAMED).
  ...named('Asia/Kolkata', [
    '印度',
    '孟買',
    '孟买',
    '新德里',
    'kolkata',
    'mumbai',
    'bombay',
    'delhi',
    'newdelhi',
    'bangalore',
    'bengaluru',
    'chennai',
    'india',
  ]),
  ...named('Asia/Kathmandu', ['加德滿都', '加德满都', '尼泊爾', '尼泊尔', 'nepal']),
  ...named('Asia/Tehran', ['德黑蘭', '德黑兰', '伊朗', 'iran']),
  ...named('Asia/Ho_Chi_Minh', ['越南', 'hochiminh', 'vietnam']),
  ...named('Europe/Kyiv', ['kyiv']),
  ...named('Europe/London', ['倫敦', '伦敦', '英國', '英国', 'uk', 'england']),
  ...named('Europe/Paris', ['巴黎']),
  ...named('Europe/Berlin', ['柏林', '法蘭克福', '法兰克福', 'frankfurt', 'germany']),
  ...named('Europe/Zurich', ['蘇黎世', '苏黎世']),
  ...named('America/New_York', ['紐約', '纽约', '美東', '美东', 'boston', 'washington', 'miami']),
  ...named('America/Chicago', ['芝加哥']),
  ...named('America/Los_Angeles', ['洛杉磯', '洛杉矶', '美西', '舊金山', '旧金山', '矽谷', '硅谷', '西雅圖', '西雅图', 'sanfrancisco', 'seattle']),
  ...named('America/Vancouver', ['溫哥華', '温哥华']),
  ...named('America/Toronto', ['多倫多', '多伦多']),
  ...named('Australia/Sydney', ['雪梨', '悉尼']),
  ...named('Australia/Melbourne', ['墨爾本', '墨尔本']),
  ...named('Australia/Adelaide', ['阿德萊德', '阿德莱德', '阿德雷德']),
  ...named('America/St_Johns', ['newfoundland', '紐芬蘭', '纽芬兰']),
};

/** The zones a place here names: offered to readers who name the place (the catalogue names each as a city: `zone.city.*`). */
export const PLACE_ZONES: readonly string[] = [...new Set(Object.values(PLACES))];

function named(zone: string, places: readonly string[]): Record<string, string> {
  return Object.fromEntries(places.map((p) => [keyOf(p), zone]));
}

/** `New York`, `new_york`, `New-York` and `newyork` alike; 臺灣 and 台湾 too (domain/han-fold.ts). */
function keyOf(s: string): string {
  return foldWord(s).replace(/[_\-.'’]/g, '');
}

const cityIndexes = new WeakMap<readonly string[], ReadonlyMap<string, string>>();

/** A zone's city (its last part) → the zone; a city that two zones share names neither. */
function cities(zones: readonly string[]): ReadonlyMap<string, string> {
  let index = cityIndexes.get(zones);
  if (index === undefined) {
    const found = new Map<string, string | null>();
    for (const z of zones) {
      if (!z.includes('/')) continue;
      const k = keyOf(z.slice(z.lastIndexOf('/') + 1));
      found.set(k, found.has(k) && found.get(k) !== z ? null : z);
    }
    index = new Map([...found].filter((e): e is [string, string] => e[1] !== null));
    cityIndexes.set(zones, index);
  }
  return index;
}

/** A place's clock named as such: 北京时间, 台北時間, 美东时间, 北京標準時間, 北京时区 (folded: 时间, 时区). */
const CLOCK_WORD = /(?:标准)?时[间区]$/;

/** A Chinese city written with its 市, as Taiwan and the mainland name one (台北市, 上海市): the place without it. */
const CITY_WORD = /(?<=\p{Script=Han})市$/u;

let shownNames: ReadonlyMap<string, string> | undefined;
/**
 * Every name the bot shows for a zone, in every language, to the zone: the catalogue's cities
 * (`zone.city.*`: 都柏林, 珀斯, Buenos Aires, Ho Chi Minh City, and 胡志明 without its 市) and clocks
 * (`zone.clock.*`: 美中時間, Japan time, without their clock word), so what a button or a prompt named
 * is read back, typed in a chat of any language. A name two zones share names neither. Kept apart
 * from PLACES: these are read, not offered (PLACE_ZONES) nor suggested as typed (zonesOfPlacesStarting).
 */
function namesShown(): ReadonlyMap<string, string> {
  if (shownNames !== undefined) return shownNames;
  const found = new Map<string, string | null>();
  const add = (k: string, zone: string) => {
    if (k !== '') found.set(k, found.has(k) && found.get(k) !== zone ? null : zone);
  };
  for (const texts of Object.values(quietMove)) {
    for (const [key, name] of Object.entries(texts)) {
      const city = /^zone\.city\.(.+)$/.exec(key)?.[1];
      const clock = /^zone\.clock\.(.+\/.+|UTC)$/.exec(key)?.[1];
      if (city !== undefined) {
        add(keyOf(name), city);
        add(keyOf(name).replace(CITY_WORD, ''), city);
      } else if (clock !== undefined) add(keyOf(name).replace(CLOCK_WORD, '').replace(/time$/, ''), clock);
    }
  }
  shownNames = new Map([...found].filter((e): e is [string, string] => e[1] !== null));
  return shownNames;
}

/** The zone a place names (`taipei`, `台北`, `台北市`, `北京时间`, `Hong Kong`'s `hongkong`, a name the bot shows: 都柏林), or undefined. */
export function zoneOfPlace(typed: string, zones: readonly string[]): string | undefined {
  const k = keyOf(typed).replace(CLOCK_WORD, '');
  if (k === '') return undefined;
  const place = (p: string) => (Object.hasOwn(PLACES, p) ? PLACES[p] : undefined);
  const k2 = k.replace(CITY_WORD, '');
  return place(k) ?? place(k2) ?? namesShown().get(k) ?? namesShown().get(k2) ?? cities(zones).get(k);
}

/** The zone a misspelt city or zone name most likely meant (`Asia/Taipie`, `tokio`), if one is clearly nearest. */
export function nearestZone(typed: string, zones: readonly string[]): string | undefined {
  const last = keyOf(typed.slice(typed.lastIndexOf('/') + 1));
  // No city's name is under 4 or over 32 letters (a pasted paragraph is not compared with 450 names).
  if (last.length < 4 || last.length > 32) return undefined;
  let near = nearZones.get(zones);
  if (near === undefined) nearZones.set(zones, (near = new Map()));
  // One command's words are tried as a zone many times over (a mute's end, then its last one or two
  // words, in each run of up to 8 words: chat/args.ts spacedValue), each compared with 450 names.
  if (near.has(last)) return near.get(last) ?? undefined;
  const index = cities(zones);
  const city = nearestName(last, [...new Set([...index.keys(), ...Object.keys(PLACES).filter((p) => /^[a-z]+$/.test(p))])]);
  const zone = city === undefined ? undefined : (index.get(city) ?? PLACES[city]);
  if (near.size >= NEAR_ZONES_KEPT) near.clear();
  near.set(last, zone ?? null);
  return zone;
}
/** nearestZone's answers by the word compared, for each list of zones: a few hundred kept, all dropped when full. */
const nearZones = new WeakMap<readonly string[], Map<string, string | null>>();
const NEAR_ZONES_KEPT = 512;

/** A clock word being typed after a place: 时, 时间, 标准, 标准时… (folded). */
const CLOCK_WORD_SO_FAR = /(?:标(?:准(?:时间?)?)?|时间?)$/;

/**
 * The zones whose city begins with what was typed (`new` → America/New_York, then
 * America/North_Dakota/New_Salem; `new y` and `new_y` alike), for an autocomplete: a city people
 * type the start of comes before an alias that merely starts so (`new` is not New Delhi first).
 * A zone of a country's region (a third part) after the others, else in the list's order.
 */
export function zonesOfCitiesStarting(typed: string, zones: readonly string[]): string[] {
  const k = keyOf(typed);
  if (k === '') return [];
  const depth = (z: string) => z.split('/').length;
  return zones.filter((z) => z.includes('/') && keyOf(z.slice(z.lastIndexOf('/') + 1)).startsWith(k)).sort((a, b) => depth(a) - depth(b));
}

/** The zones of the places that begin with what was typed so far (`台` → Asia/Taipei; `北京时` → Asia/Shanghai), for an autocomplete. */
export function zonesOfPlacesStarting(typed: string): string[] {
  const k = keyOf(typed).replace(CLOCK_WORD_SO_FAR, '');
  if (k === '') return [];
  return [...new Set(Object.entries(PLACES).flatMap(([p, z]) => (p.startsWith(k) ? [z] : [])))];
}
