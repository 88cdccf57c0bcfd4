package oracle.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One SQL migration: {@code sql/<path>.sql} and its undo {@code sql/<path>.down.sql}. The version
 * is the number the file name starts with ({@code 002_ohlcv} is version 2); the checksum is the
 * SHA-256 of the forward file, recorded when applied so that a later edit is detected.
 */
public record Migration(
    int version, String name, String path, String up, String down, String checksum) {

  /** Reads {@code sql/<flavor>.list} and every file it names from the classpath. */
  public static List<Migration> forFlavor(StorageFlavor flavor) {
    String list = resource("sql/" + flavor.id() + ".list");
    List<Migration> out = new ArrayList<>();
    int previous = 0;
    for (String line : list.split("\n")) {
      String path = line.strip();
      if (path.isEmpty() || path.startsWith("#")) continue;
      String name = path.substring(path.lastIndexOf('/') + 1);
      int version;
      try {
        version = Integer.parseInt(name.substring(0, name.indexOf('_')));
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "migration name must start with its version number: " + path);
      }
      if (version <= previous)
        throw new IllegalStateException(
            "migrations out of order in " + flavor.id() + ".list at " + path);
      previous = version;
      String up = resource("sql/" + path + ".sql");
      out.add(
          new Migration(
              version, name, path, up, resource("sql/" + path + ".down.sql"), sha256(up)));
    }
    return out;
  }

  static String resource(String path) {
    try (InputStream in = Migration.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null)
        throw new IllegalStateException("missing SQL resource on the classpath: " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
