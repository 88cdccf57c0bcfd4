package oracle.exchange.registry;

import java.util.List;
import java.util.Optional;
import oracle.config.ConfigReader;
import oracle.exchange.ExchangeSpec;
import oracle.exchange.Market;
import oracle.exchange.MarketIds;
import oracle.exchange.MarketRule;
import oracle.exchange.SourceSettings;
import oracle.exchange.binance.BinanceAdapter;
import oracle.exchange.binance.BinanceTradeStream;
import oracle.exchange.bybit.BybitAdapter;
import oracle.exchange.bybit.BybitTradeStream;
import oracle.exchange.coinbase.CoinbaseAdapter;
import oracle.exchange.coinbase.CoinbaseTradeStream;
import oracle.exchange.kraken.KrakenAdapter;
import oracle.exchange.kraken.KrakenTradeStream;
import oracle.exchange.okx.OkxAdapter;
import oracle.exchange.okx.OkxTradeStream;
import oracle.exchange.stream.TradeStreamProtocol;
import oracle.exchange.uniswap.UniswapV3Adapter;
import oracle.exchange.upbit.UpbitAdapter;
import oracle.exchange.upbit.UpbitTradeStream;

/**
 * Every exchange the oracle can read, one {@link ExchangeSpec} each (as cryptofeed's {@code
 * EXCHANGE_MAP}): the only list of exchange names in the main code. Adding an exchange is one
 * package {@code oracle.exchange.<name>} (its spec, adapter and fake) and one line here
 * (docs/architecture.md, "Adding an exchange"). It lives apart from {@code oracle.exchange} because
 * it depends on every venue, and only composition-level code (configuration, deploy, discovery, the
 * simulator) uses it.
 */
public final class Exchanges {
  private Exchanges() {}

  /** In the order of the default {@code exchanges} list and of {@link #NAMES}. */
  public static final List<ExchangeSpec> ALL =
      List.of(
          BinanceAdapter.SPEC,
          CoinbaseAdapter.SPEC,
          KrakenAdapter.SPEC,
          OkxAdapter.SPEC,
          BybitAdapter.SPEC,
          UpbitAdapter.SPEC,
          UniswapV3Adapter.SPEC);

  /**
   * The public trade stream of each source that has one (the six CEX; Uniswap has none and keeps
   * polling). Protocols are pure and stateless, so one instance each serves every connection.
   */
  public static final List<TradeStreamProtocol> STREAMS =
      List.of(
          new BinanceTradeStream(),
          new CoinbaseTradeStream(),
          new KrakenTradeStream(),
          new OkxTradeStream(),
          new BybitTradeStream(),
          new UpbitTradeStream());

  /** The trade-stream protocol of source {@code name}, if it has one. */
  public static Optional<TradeStreamProtocol> stream(String name) {
    for (TradeStreamProtocol p : STREAMS) if (p.source().equals(name)) return Optional.of(p);
    return Optional.empty();
  }

  /** Every known source name (valid in {@code exchanges}, {@code sources.*}, rates). */
  public static final List<String> NAMES = ALL.stream().map(ExchangeSpec::name).toList();

  /** The sources enabled when the configuration does not list {@code exchanges}. */
  public static final List<String> DEFAULT_ENABLED =
      ALL.stream().filter(ExchangeSpec::enabledByDefault).map(ExchangeSpec::name).toList();

  public static Optional<ExchangeSpec> find(String name) {
    for (ExchangeSpec s : ALL) if (s.name().equals(name)) return Optional.of(s);
    return Optional.empty();
  }

  /** The spec of a known source; an unknown name is a programming error (names are validated). */
  public static ExchangeSpec spec(String name) {
    return find(name)
        .orElseThrow(() -> new IllegalArgumentException("no adapter for source " + name));
  }

  /** Whether the named source serves 1-minute klines (false for unknown names). */
  public static boolean hasKlines(String name) {
    return find(name).map(ExchangeSpec::klines).orElse(false);
  }

  /** The market-id rule of a source; the symbol itself for names without a spec. */
  public static MarketRule marketRule(String name) {
    return find(name).map(ExchangeSpec::markets).orElse(MarketRule.SYMBOL);
  }

  /**
   * The conventional market for {@code symbol} on {@code exchange}: Binance and Bybit {@code
   * BTCUSDT}, OKX and Coinbase {@code BTC-USDT}, Kraken {@code XBTUSDT}, Upbit {@code KRW-BTC}
   * (always the KRW market, converted through the configured USDT/KRW rate). Configuration
   * overrides any of them per symbol.
   */
  public static Market derive(String exchange, String symbol) {
    return marketRule(exchange).derive(MarketIds.base(symbol), MarketIds.quote(symbol));
  }

  /**
   * The canonical name of an asset as {@code exchange} names it: the reverse of its convention,
   * used by market discovery so that discovered markets and polled markets agree (Kraken's {@code
   * XBT} and legacy {@code XXBT} are {@code BTC}).
   */
  public static String canonicalAsset(String exchange, String asset) {
    return marketRule(exchange).canonicalAsset(asset);
  }

  /**
   * The settings of source {@code name} read from {@code sources.<name>}, spec defaults applied.
   */
  public static SourceSettings settings(String name, ConfigReader r) {
    return SourceSettings.from(
        name, find(name), stream(name).map(TradeStreamProtocol::defaultUrl).orElse(null), r);
  }
}
