/**
 * The registry forms (one file each), built on one form hook (useRecordForm) and the one server-error mapper
 * (utils/formErrors). Importers keep `import { … } from './forms'`.
 */
export { HouseholdFormDrawer } from './HouseholdForm';
export { MemberFormDrawer } from './MemberForm';
export { MoveMemberModal } from './MoveMemberModal';
export { IncomeFormDrawer } from './IncomeForm';
export { StatusFormDrawer } from './StatusForm';
