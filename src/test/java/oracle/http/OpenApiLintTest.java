package oracle.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the OpenAPI document clean under redocly's recommended rules (checked by hand with {@code
 * npx @redocly/cli lint --extends=recommended}; no Node in the build for it): the rules it broke
 * once are checked here on the resource itself, with the fields issue 22 added to the schemas.
 * Pure: reads the jar's resource.
 */
class OpenApiLintTest {
  private static JsonNode doc;
  private static String text;

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in =
        OpenApiLintTest.class.getClassLoader().getResourceAsStream(ApiDocs.DOCUMENT)) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    doc = new ObjectMapper().readTree(text);
  }

  private static List<Map.Entry<String, JsonNode>> operations() {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        op ->
                            out.add(Map.entry(op.getKey() + " " + path.getKey(), op.getValue()))));
    return out;
  }

  @Test
  void everyOperationDeclaresItsSecurityPublicOnesAnEmptyList() {
    for (var op : operations()) {
      JsonNode security = op.getValue().get("security");
      assertThat(security).as(op.getKey()).isNotNull();
      boolean admin = op.getKey().contains(" /admin/");
      assertThat(security.isEmpty()).as(op.getKey() + " public unless admin").isEqualTo(!admin);
    }
  }

  @Test
  void everyOperationHasA4xxAnswerAndEveryTagADescription() {
    for (var op : operations()) {
      Iterator<String> codes = op.getValue().get("responses").fieldNames();
      boolean any4xx = false;
      while (codes.hasNext()) any4xx |= codes.next().startsWith("4");
      assertThat(any4xx).as(op.getKey()).isTrue();
    }
    for (JsonNode tag : doc.get("tags"))
      assertThat(tag.path("description").asText()).as(tag.toString()).isNotBlank();
  }

  @Test
  void theDocumentHasALicenceAndNoUnusedComponents() {
    assertThat(doc.at("/info/license/name").asText()).isNotBlank();
    doc.get("components")
        .fields()
        .forEachRemaining(
            kind ->
                kind.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        name -> {
                          String ref = "#/components/" + kind.getKey() + "/" + name + "\"";
                          boolean used =
                              kind.getKey().equals("securitySchemes")
                                  ? text.contains("\"" + name + "\": []")
                                  : text.contains(ref);
                          assertThat(used).as(kind.getKey() + "/" + name + " is used").isTrue();
                        }));
  }

  @Test
  void theSchemasHaveTheFieldsTheAnswersCarry() {
    JsonNode schemas = doc.at("/components/schemas");
    assertThat(schemas.at("/Price/properties").has("minSources")).isTrue();
    assertThat(schemas.at("/Price/properties").has("timestampMs")).isTrue();
    assertThat(schemas.at("/Price/properties/timestamp/deprecated").asBoolean()).isTrue();
    assertThat(schemas.at("/Health/properties/flush/properties").has("lastFlushAtMs")).isTrue();
    assertThat(schemas.at("/Health/properties/flush/properties").has("lagSeconds")).isFalse();
    for (String s :
        List.of("Price", "Health", "Ohlcv", "UdfBars", "UdfNoData", "UdfSymbol", "UdfConfig"))
      assertThat(schemas.at("/" + s + "/properties").has("simulated")).as(s).isTrue();
  }
}
