/** UI strings of the region pages and the region picker. */
import { defineArea } from './area';

export const regions = defineArea({
  zh: {
    'region.subtitle': '统计用区划代码：省 2 位、市 2 位、县 2 位、乡镇 3 位、村 3 位',
    'region.pickerPlaceholder': '选择或搜索行政区划',
    'region.searchPlaceholder': '按名称或代码搜索',
    'region.pickOne': '在左侧选择一个行政区划',
    'region.code': '区划代码',
    'region.name': '名称',
    'region.level': '级别',
    'region.fullName': '全称',
    'region.parentCode': '上级代码',
    'region.childCount': '下级数量',
    'region.childrenTitle': '下级区划（{level}）',
  },
  en: {
    'region.subtitle': 'Statistical division codes: province 2, city 2, county 2, township 3, village 3 digits',
    'region.pickerPlaceholder': 'Choose or search a region',
    'region.searchPlaceholder': 'Search by name or code',
    'region.pickOne': 'Choose a region on the left',
    'region.code': 'Code',
    'region.name': 'Name',
    'region.level': 'Level',
    'region.fullName': 'Full name',
    'region.parentCode': 'Parent code',
    'region.childCount': 'Sub-regions',
    'region.childrenTitle': 'Sub-regions ({level})',
  },
});
