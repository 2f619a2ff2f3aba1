/**
 * Equals is `true` exactly when A and B are the same type, and `false` otherwise: strict,
 * unlike mutual assignability, so an optional field or a `readonly` on one side only, or a
 * wider literal union, makes it false. `const proof: Equals<A, B> = true` fails to compile
 * when two homes of one contract drift apart.
 */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
