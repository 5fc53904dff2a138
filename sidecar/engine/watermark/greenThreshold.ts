/** floor(γ · 2^32): a token is green iff its hash is below this (so a share γ of uint32 is green). */
export function greenThreshold(greenlistRatio: number): number {
  return Math.floor(greenlistRatio * 2 ** 32);
}
