/** User administration messages (users service). */
import { defineMessages } from './define';

export const usersMessages = defineMessages('users', {
  'users.notFound': { status: 404, kind: 'NOT_FOUND', zh: '用户不存在或不在您的管辖范围内', en: 'The user does not exist or is outside your region' },
  'users.displayNameEmpty': { status: 400, kind: 'VALIDATION', zh: '姓名不能为空', en: 'The name must not be empty' },
  'users.usernameTaken': { status: 409, kind: 'CONFLICT', zh: '用户名 {username} 已存在', en: 'The username {username} is already taken' },
  'users.ownAccount': { status: 403, kind: 'FORBIDDEN', zh: '不能修改自己的角色、所属区域或状态', en: 'You cannot change your own role, region or status' },
  'users.disableReason': { status: 400, kind: 'VALIDATION', zh: '停用账号必须填写原因', en: 'Give the reason for disabling the account' },
  'users.roleDenied': { status: 403, kind: 'FORBIDDEN', zh: '您不能管理角色为「{role}」的用户', en: 'You may not manage users of the role “{role}”' },
  'users.roleDeniedField': { status: 403, kind: 'FORBIDDEN', zh: '无权管理该角色', en: 'You may not manage this role' },
  'users.regionNotFound': { status: 400, kind: 'VALIDATION', zh: '区域不存在或不在您的管辖范围内', en: 'The region does not exist or is outside your region' },
  'users.regionLevel': { status: 400, kind: 'VALIDATION', zh: '「{role}」的所属区域应为{levels}级，「{region}」是{level}级', en: 'The region of “{role}” must be of level {levels}; “{region}” is of level {level}' },
});
