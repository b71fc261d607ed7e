export enum Role {
  Client = 'client',
  Craftsman = 'craftsman',
  Admin = 'admin',
  Moderator = 'moderator',
}

/** Admins and moderators run the platform; they log in with `type: admins`. */
export const STAFF_ROLES: readonly Role[] = [Role.Admin, Role.Moderator];

/** Clients and craftsmen use the marketplace; they log in with `type: clients`. */
export const MARKETPLACE_ROLES: readonly Role[] = [Role.Client, Role.Craftsman];
