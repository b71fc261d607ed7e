/** class-transformer `@Transform`s for environment variables, which are all text. */
export const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export const toNumber = ({ value }: { value: unknown }): unknown => Number(value);
