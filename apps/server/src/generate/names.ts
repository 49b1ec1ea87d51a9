import type { Weights } from './calibration';
import { Choice, type Rng } from './random';

/**
 * Common Chinese surnames with approximate frequencies (per cent of the population, 2020 household
 * registration statistics for the most common ones; the tail is shared evenly), weighted a little
 * towards north-eastern names (王, 李, 张, 刘 and 于, 孙, 关, 佟, 那 …).
 */
const SURNAMES: Weights<string> = [
  ['王', 7.4], ['李', 7.2], ['张', 6.9], ['刘', 5.6], ['陈', 3.2], ['杨', 3.1], ['赵', 2.4], ['黄', 1.8],
  ['周', 1.7], ['吴', 1.4], ['徐', 1.3], ['孙', 1.6], ['胡', 1.1], ['朱', 1.0], ['高', 1.3], ['林', 0.9],
  ['何', 0.8], ['郭', 1.0], ['马', 1.2], ['罗', 0.6], ['梁', 0.7], ['宋', 0.8], ['郑', 0.6], ['谢', 0.5],
  ['韩', 0.8], ['唐', 0.5], ['冯', 0.6], ['于', 0.9], ['董', 0.7], ['萧', 0.2], ['程', 0.5], ['曹', 0.6],
  ['袁', 0.4], ['邓', 0.4], ['许', 0.5], ['傅', 0.3], ['沈', 0.3], ['曾', 0.3], ['彭', 0.3], ['吕', 0.4],
  ['苏', 0.4], ['卢', 0.4], ['蒋', 0.3], ['蔡', 0.3], ['贾', 0.4], ['丁', 0.4], ['魏', 0.4], ['薛', 0.3],
  ['叶', 0.3], ['阎', 0.3], ['余', 0.2], ['潘', 0.3], ['杜', 0.4], ['戴', 0.2], ['夏', 0.2], ['钟', 0.2],
  ['汪', 0.2], ['田', 0.4], ['任', 0.4], ['姜', 0.5], ['范', 0.3], ['方', 0.2], ['石', 0.3], ['姚', 0.3],
  ['谭', 0.2], ['廖', 0.1], ['邹', 0.2], ['熊', 0.1], ['金', 0.3], ['陆', 0.2], ['郝', 0.3], ['孔', 0.2],
  ['白', 0.3], ['崔', 0.4], ['康', 0.2], ['毛', 0.2], ['邱', 0.2], ['秦', 0.2], ['江', 0.2], ['史', 0.2],
  ['顾', 0.1], ['侯', 0.3], ['邵', 0.2], ['孟', 0.3], ['龙', 0.1], ['万', 0.2], ['段', 0.2], ['钱', 0.1],
  ['汤', 0.1], ['尹', 0.2], ['黎', 0.1], ['易', 0.1], ['常', 0.2], ['武', 0.2], ['乔', 0.2], ['贺', 0.2],
  ['赖', 0.1], ['龚', 0.1], ['文', 0.1], ['关', 0.2], ['佟', 0.15], ['那', 0.1], ['付', 0.3], ['齐', 0.2],
  ['包', 0.1], ['庞', 0.1], ['鲍', 0.1], ['隋', 0.1], ['曲', 0.2], ['初', 0.1], ['栾', 0.1], ['矫', 0.05],
  ['葛', 0.1], ['陶', 0.1], ['牛', 0.1], ['邢', 0.1], ['安', 0.1], ['翟', 0.1], ['闫', 0.2],
];

/** Given-name characters by sex, and characters used by both. */
const MALE_CHARS = [
  ...'伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘',
];
const FEMALE_CHARS = [
  ...'秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽',
];
const COMMON_CHARS = [...'文明华金玉春秋云海平立永建国德成福长庆丽'];

const surnameChoice = new Choice(SURNAMES.filter((s) => s[1] > 0));

export function surname(rng: Rng): string {
  return surnameChoice.sample(rng);
}

/** A given name of one or two characters; older people more often have one, as do men. */
export function givenName(rng: Rng, male: boolean, birthYear: number): string {
  const chars = male ? MALE_CHARS : FEMALE_CHARS;
  const single = birthYear < 1960 ? 0.22 : birthYear < 1990 ? 0.18 : 0.3;
  const first = rng.chance(0.12) ? rng.pick(COMMON_CHARS) : rng.pick(chars);
  if (rng.chance(single)) return first;
  let second = rng.pick(chars);
  if (second === first && rng.chance(0.7)) second = rng.pick(chars);
  return first + second;
}
