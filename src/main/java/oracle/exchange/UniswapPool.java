package oracle.exchange;

/**
 * A Uniswap v3 pool a canonical symbol is read from.
 *
 * @param address the pool contract, {@code 0x} + 40 hex digits
 * @param token0Decimals decimals of the pool's token0 (the lower token address)
 * @param token1Decimals decimals of token1
 * @param baseIsToken0 whether the symbol's base asset is token0 (else token1)
 * @param quoteCurrency currency of the other token (USDT, USDC, ...)
 */
public record UniswapPool(
    String address,
    int token0Decimals,
    int token1Decimals,
    boolean baseIsToken0,
    String quoteCurrency) {}
