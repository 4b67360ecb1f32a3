package io.clipstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.explain.Explainer;
import io.clipstream.explain.MatchLocalizer;
import io.clipstream.search.ItemImages;
import io.clipstream.search.QueryLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/items/{id}/explain} and {@code POST /v1/explain} over a fake {@link ItemImages}
 * (a map of JPEG thumbnails) and real models: the default one, which has a spatial grid, and
 * fixture-tiny, which has none. The search service and stores are absent: explain needs neither.
 */
class ExplainHttpTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static ClipModel withGrid;
    private static ClipModel withoutGrid;
    private static byte[] thumbnail;

    private HttpApi api;

    @BeforeAll
    static void open() throws IOException {
        withGrid = ClipModel.open(EncoderSettings.cpu(Path.of("models/default")));
        withoutGrid = ClipModel.open(EncoderSettings.cpu(Path.of("models/fixture-tiny")));
        thumbnail = jpeg(200, 120);
    }

    @AfterAll
    static void close() {
        withGrid.close();
        withoutGrid.close();
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private void start(ClipModel model) throws IOException {
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 1 << 20, Optional.empty(), Optional.empty(), true);
        api = new HttpApi(settings, null, null, null, () -> Map.of("index", "RUNNING"),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), QueryLimits.DEFAULT);
        if (model != null) {
            ItemImages images = id -> Optional.ofNullable(Map.of("cat-1", thumbnail, "a/b", thumbnail).get(id));
            api.explainWith(new Explainer(new MatchLocalizer(model), images, QueryLimits.DEFAULT.maxTextChars()));
        }
        api.start();
    }

    private HttpResponse<byte[]> call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode error(HttpResponse<byte[]> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), new String(response.body()));
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = JsonCodec.MAPPER.readTree(response.body());
        assertEquals(status, body.get("status").asInt());
        return body;
    }

    @Test
    void anItemsHeatMapIsAPngOfItsStoredImage() throws Exception {
        start(withGrid);
        HttpResponse<byte[]> response = call("GET", "/v1/items/cat-1/explain?q=a%20red%20ball", null);
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(""));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(response.body()));
        assertEquals(200, png.getWidth());
        assertEquals(120, png.getHeight());
        // Columns 0..39 and 160..199 lie outside the centre crop the model sees: left as they were (JPEG white).
        int outside = png.getRGB(5, 60);
        assertTrue(((outside >> 16) & 0xFF) > 0xF0 && ((outside >> 8) & 0xFF) > 0xF0 && (outside & 0xFF) > 0xF0,
                Integer.toHexString(outside));
        // Inside the crop every pixel is tinted by the ramp, so none stays pure white.
        assertTrue((png.getRGB(100, 60) & 0xFFFFFF) != 0xFFFFFF);

        assertEquals(200, call("GET", "/v1/items/a%2Fb/explain?q=ball", null).statusCode(), "ids may hold slashes, encoded");
    }

    @Test
    void badRequestsAreJsonErrors() throws Exception {
        start(withGrid);
        assertTrue(error(call("GET", "/v1/items/nobody/explain?q=ball", null), 404).get("error").asText().contains("'nobody'"));
        assertTrue(error(call("GET", "/v1/items/cat-1/explain", null), 400).get("error").asText().contains("'q'"));
        error(call("GET", "/v1/items/cat-1/explain?q=%20%20", null), 400);
        error(call("POST", "/v1/items/cat-1/explain?q=ball", "{}"), 405);
        error(call("GET", "/v1/items//explain?q=ball", null), 400);
        assertTrue(error(call("GET", "/v1/items/cat-1/explain?q=" + "a".repeat(QueryLimits.DEFAULT.maxTextChars() + 1), null), 400)
                .get("error").asText().contains("search.max.text.chars"));
    }

    @Test
    void anUploadedImageCanBeExplainedToo() throws Exception {
        start(withGrid);
        String image = Base64.getEncoder().encodeToString(thumbnail);
        HttpResponse<byte[]> response = call("POST", "/v1/explain", "{\"imageBase64\":\"" + image + "\",\"text\":\"a ball\"}");
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(200, ImageIO.read(new ByteArrayInputStream(response.body())).getWidth());

        error(call("POST", "/v1/explain", "{\"text\":\"a ball\"}"), 400);
        error(call("POST", "/v1/explain", "{\"imageBase64\":\"" + image + "\"}"), 400);
        error(call("POST", "/v1/explain", "{\"imageBase64\":\"" + image + "\",\"text\":\"x\",\"k\":3}"), 400);
        error(call("POST", "/v1/explain", "{\"imageBase64\":\"bm90IGFuIGltYWdl\",\"text\":\"x\"}"), 400);
        error(call("GET", "/v1/explain", null), 405);
    }

    @Test
    void aModelWithoutSpatialFeaturesAnswers422() throws Exception {
        start(withoutGrid);
        JsonNode body = error(call("GET", "/v1/items/cat-1/explain?q=ball", null), 422);
        assertTrue(body.get("error").asText().contains("fixture-tiny") && body.get("error").asText().contains("patchOutput"),
                body.toString());
        String image = Base64.getEncoder().encodeToString(thumbnail);
        error(call("POST", "/v1/explain", "{\"imageBase64\":\"" + image + "\",\"text\":\"a ball\"}"), 422);
    }

    @Test
    void withoutExplainTheEndpointSaysWhy() throws Exception {
        start(null);
        assertTrue(error(call("GET", "/v1/items/cat-1/explain?q=ball", null), 503).get("error").asText().contains("not enabled"));
    }

    /** A red disc on white, as a JPEG like the index's thumbnails. */
    private static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = x - width / 2.0;
                double dy = y - height / 2.0;
                image.setRGB(x, y, dx * dx + dy * dy < 30 * 30 ? 0xDD2222 : 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
