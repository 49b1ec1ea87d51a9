/** UI strings of the dashboard (工作台). */
import { defineArea } from './area';

export const dashboard = defineArea({
  zh: {
    'dashboard.greeting': '您好，{name}',
    'dashboard.cities': '市',
    'dashboard.counties': '县（区）',
    'dashboard.townships': '乡镇（街道）',
    'dashboard.villages': '村（社区）',
    'dashboard.usersActive': '启用用户 / 总数',
    'dashboard.recentChanges': '近 7 日变更',
    'dashboard.childrenChart': '各下级区划村（社区）数',
    'dashboard.childrenChartBoth': '各下级区划乡镇（街道）与村（社区）数',
    'dashboard.villageList': '下辖村（社区）· {n} 个',
    'dashboard.usersByRole': '用户角色分布',
    'dashboard.noChildren': '没有下级区划',
    'dashboard.noUsers': '暂无用户',
  },
  en: {
    'dashboard.greeting': 'Hello, {name}',
    'dashboard.cities': 'Cities',
    'dashboard.counties': 'Counties',
    'dashboard.townships': 'Townships',
    'dashboard.villages': 'Villages',
    'dashboard.usersActive': 'Active / all users',
    'dashboard.recentChanges': 'Changes (7 days)',
    'dashboard.childrenChart': 'Villages per sub-region',
    'dashboard.childrenChartBoth': 'Townships and villages per sub-region',
    'dashboard.villageList': 'Villages ({n})',
    'dashboard.usersByRole': 'Users by role',
    'dashboard.noChildren': 'No sub-regions',
    'dashboard.noUsers': 'No users yet',
  },
});
