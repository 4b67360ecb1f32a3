package io.clipstream.it;

import io.clipstream.config.Settings;
import io.clipstream.embedded.DemoCorpus;
import io.clipstream.embedded.EmbeddedDemo;
import io.clipstream.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web page in a real browser (Debian's headless Chromium through chromedriver) against the
 * demo: a text search shows image cards whose thumbnails load, an uploaded corpus image finds
 * captions, a result opens its item with neighbours of both modalities, and a bad search shows its
 * error. Screenshots of each land in target/screenshots/.
 */
class WebPageBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final Duration PAGE_WAIT = Duration.ofSeconds(30);

    static EmbeddedDemo demo;
    static int port;
    static HeadlessChromium chromium;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        // First, so that a machine without the browser fails at once and says what to install.
        chromium = HeadlessChromium.start();
        browser = chromium.driver;
        port = Rest.freePort();
        demo = EmbeddedDemo.start(Path.of("target", "it", "web-" + UUID.randomUUID()),
                // The demo as `clipstream demo` runs it: the default model, so results mean something.
                Map.of(Settings.HTTP_PORT.key(), Integer.toString(port), Settings.HTTP_HOST.key(), "127.0.0.1"));
        demo.awaitReady(WAIT);
        int corpusSize = demo.publishCorpus();
        Await.until(WAIT, "the demo corpus to be searchable", () -> {
            Rest.Reply reply = Rest.post(port, "/v1/search", "{\"text\": \"a red circle\", \"target\": \"ANY\", \"k\": 1000}");
            return reply.status() == 200 && reply.body().get("hits").size() == 2 * corpusSize;
        });
        // Thumbnails travel on their own topic, so they may trail the vectors a little.
        for (DemoCorpus.Item item : DemoCorpus.items()) {
            Await.until(WAIT, "the thumbnail of " + item.id(), () -> thumbnail(item.id()).statusCode() == 200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    static HttpResponse<byte[]> thumbnail(String id) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/items/"
                    + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8) + "/thumbnail")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    WebDriverWait pageWait() {
        return new WebDriverWait(browser, PAGE_WAIT);
    }

    void open(String path) {
        browser.get("http://127.0.0.1:" + port + path);
        pageWait().until(ExpectedConditions.presenceOfElementLocated(By.id("search-form")));
    }

    void screenshot(String what) throws Exception {
        chromium.screenshot(getClass().getSimpleName() + "-" + what);
    }

    /** True once every thumbnail in the page's image cards has been decoded by the browser. */
    boolean thumbnailsLoaded(String scope) {
        Object loaded = ((JavascriptExecutor) browser).executeScript(
                "const imgs = [...document.querySelectorAll(arguments[0] + ' .result-image img.thumb')];"
                        + "return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);", scope);
        return Boolean.TRUE.equals(loaded);
    }

    void search(String text, String target) {
        WebElement query = browser.findElement(By.id("query"));
        query.clear();
        query.sendKeys(text);
        new Select(browser.findElement(By.id("target"))).selectByValue(target);
        browser.findElement(By.id("search")).click();
    }

    @Test
    void aTextSearchShowsImageCardsWithTheirThumbnailsAndScores() throws Exception {
        open("/");
        search("a birthday cake", "IMAGE");
        pageWait().until(driver -> !driver.findElements(By.cssSelector("#image-results .result-image")).isEmpty());
        pageWait().until(driver -> thumbnailsLoaded("#image-results"));
        screenshot("text-search");

        List<WebElement> cards = browser.findElements(By.cssSelector("#image-results .result-image"));
        assertEquals(24, cards.size(), "k from the form");
        assertTrue(browser.findElements(By.cssSelector("#caption-results .result-caption")).isEmpty(), "target IMAGE: images only");
        double previous = Double.MAX_VALUE;
        for (WebElement card : cards) {
            double score = Double.parseDouble(card.findElement(By.className("score")).getText());
            assertTrue(score <= previous, "best first");
            previous = score;
            assertEquals("where?", card.findElement(By.className("where")).getText(), "text searches offer the heat-map toggle");
        }
        List<String> top = cards.stream().limit(3).map(card -> card.getAttribute("data-id")).toList();
        assertTrue(top.contains("openclipart-food-desserts-birthday_cake"), "the cake among the first three: " + top);
        WebElement first = cards.get(0).findElement(By.cssSelector("img.thumb"));
        String id = cards.get(0).getAttribute("data-id");
        assertTrue(first.getAttribute("src").endsWith("/v1/items/" + id + "/thumbnail"), first.getAttribute("src"));
        assertTrue(browser.findElement(By.id("status")).getText().contains("24 results"), browser.findElement(By.id("status")).getText());
        assertFalse(browser.findElement(By.id("message")).isDisplayed(), "no error shown");

        // "where?" shows the explain heat-map: the default model has spatial features and the index
        // keeps the thumbnail it is drawn over.
        WebElement where = cards.get(0).findElement(By.className("where"));
        where.click();
        pageWait().until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "const o = arguments[0].querySelector('img.explain-overlay'); return !!o && o.complete && o.naturalWidth > 0;",
                cards.get(0))));
        screenshot("text-search-where");
        assertFalse(browser.findElement(By.id("message")).isDisplayed(), "no error shown");
    }

    @Test
    void anUploadedImageFindsCaptions() throws Exception {
        DemoCorpus.Item item = DemoCorpus.items().get(0);
        Path upload = Path.of("target", "it", "upload-" + UUID.randomUUID() + ".png").toAbsolutePath();
        Files.createDirectories(upload.getParent());
        Files.write(upload, DemoCorpus.image(item));

        open("/");
        new Select(browser.findElement(By.id("target"))).selectByValue("TEXT");
        browser.findElement(By.id("file")).sendKeys(upload.toString());
        pageWait().until(ExpectedConditions.textToBePresentInElementLocated(By.id("drop-label"), "searching by image"));
        browser.findElement(By.id("search")).click();
        pageWait().until(driver -> !driver.findElements(By.cssSelector("#caption-results .result-caption")).isEmpty());
        screenshot("image-upload");

        List<WebElement> captions = browser.findElements(By.cssSelector("#caption-results .result-caption"));
        assertEquals(24, captions.size());
        assertTrue(browser.findElements(By.cssSelector("#image-results .result-image")).isEmpty(), "target TEXT: captions only");
        for (WebElement caption : captions) {
            assertFalse(caption.findElement(By.cssSelector("a.text")).getText().isBlank(), "each caption shows its text");
            Double.parseDouble(caption.findElement(By.className("score")).getText());
        }
    }

    @Test
    void aDroppedImageIsSearchedLikeAnUploadedOne() throws Exception {
        DemoCorpus.Item item = DemoCorpus.items().get(2);
        open("/");
        new Select(browser.findElement(By.id("target"))).selectByValue("IMAGE");
        // What a drop from the desktop delivers: a drop event whose DataTransfer holds the file.
        ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(r => r.blob()).then(blob => {"
                + "  const transfer = new DataTransfer();"
                + "  transfer.items.add(new File([blob], 'dropped.jpg', {type: 'image/jpeg'}));"
                + "  document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));"
                + "  done();"
                + "});", "/v1/items/" + item.id() + "/thumbnail");
        pageWait().until(ExpectedConditions.textToBePresentInElementLocated(By.id("drop-label"), "searching by image: dropped.jpg"));
        browser.findElement(By.id("search")).click();
        pageWait().until(driver -> !driver.findElements(By.cssSelector("#image-results .result-image")).isEmpty());
        assertEquals(item.id(), browser.findElement(By.cssSelector("#image-results .result-image")).getAttribute("data-id"),
                "an image's own thumbnail finds the image first");
        assertTrue(browser.findElements(By.cssSelector("#image-results .where")).isEmpty(), "no heat-map toggle without query text");
    }

    @Test
    void aResultOpensItsItemWithNeighboursOfBothModalities() throws Exception {
        open("/");
        search("a house", "IMAGE");
        pageWait().until(driver -> !driver.findElements(By.cssSelector("#image-results .result-image")).isEmpty());
        WebElement card = browser.findElement(By.cssSelector("#image-results .result-image"));
        String id = card.getAttribute("data-id");
        card.findElement(By.cssSelector("a.open")).click();

        pageWait().until(ExpectedConditions.urlContains("item="));
        pageWait().until(ExpectedConditions.textToBePresentInElementLocated(By.id("item-fields"), id));
        pageWait().until(driver -> !driver.findElements(By.cssSelector("#neighbour-images .result-image")).isEmpty()
                && !driver.findElements(By.cssSelector("#neighbour-captions .result-caption")).isEmpty());
        pageWait().until(driver -> thumbnailsLoaded("#neighbour-images"));
        pageWait().until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "const i = document.querySelector('#item-detail img.thumb'); return !!i && i.complete && i.naturalWidth > 0;")));
        screenshot("item");

        assertTrue(browser.findElement(By.id("search-view")).getAttribute("hidden") != null, "the item view replaces the search");
        for (WebElement neighbour : browser.findElements(By.cssSelector("#neighbour-images .result-image"))) {
            assertFalse(id.equals(neighbour.getAttribute("data-id")), "an item is not its own neighbour");
        }
    }

    @Test
    void aRefusedSearchShowsWhyAndAFilterNarrowsTheResults() throws Exception {
        Path notAnImage = Path.of("target", "it", "notes-" + UUID.randomUUID() + ".png").toAbsolutePath();
        Files.createDirectories(notAnImage.getParent());
        Files.writeString(notAnImage, "these are notes, not pixels");
        open("/");
        browser.findElement(By.id("file")).sendKeys(notAnImage.toString());
        pageWait().until(ExpectedConditions.textToBePresentInElementLocated(By.id("drop-label"), "searching by image"));
        browser.findElement(By.id("search")).click();
        pageWait().until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        String message = browser.findElement(By.id("message")).getText();
        assertTrue(message.startsWith("400: "), "the service's refusal, shown as it came: " + message);
        screenshot("error");

        browser.findElement(By.id("clear-image")).click();
        browser.findElement(By.id("add-filter")).click();
        browser.findElement(By.cssSelector("#filter-rows .filter-value")).sendKeys("orphan");
        search("a cat", "IMAGE");
        pageWait().until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "no key"));

        WebElement k = browser.findElement(By.id("k"));
        k.clear();
        k.sendKeys("1000");
        String category = DemoCorpus.items().get(0).category();
        browser.findElement(By.cssSelector("#filter-rows .filter-key")).sendKeys("category");
        browser.findElement(By.cssSelector("#filter-rows .filter-value")).clear();
        browser.findElement(By.cssSelector("#filter-rows .filter-value")).sendKeys(category);
        search("a cat", "IMAGE");
        pageWait().until(ExpectedConditions.invisibilityOfElementLocated(By.id("message")));
        pageWait().until(driver -> !driver.findElements(By.cssSelector("#image-results .result-image")).isEmpty());
        long expected = DemoCorpus.items().stream().filter(i -> i.category().equals(category)).count();
        assertEquals(expected, browser.findElements(By.cssSelector("#image-results .result-image")).size(),
                "only the " + category + " images");
    }

    @Test
    void theThumbnailEndpointServesAJpegThatFitsOr404sWithAReason() throws Exception {
        DemoCorpus.Item item = DemoCorpus.items().get(0);
        HttpResponse<byte[]> found = thumbnail(item.id());
        assertEquals(200, found.statusCode());
        assertEquals("image/jpeg", found.headers().firstValue("Content-Type").orElse(""));
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(found.body()));
        assertNotNull(jpeg, "decodes as an image");
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(DemoCorpus.image(item)));
        assertTrue(Math.max(jpeg.getWidth(), jpeg.getHeight()) <= 256);
        assertEquals((double) original.getWidth() / original.getHeight(), (double) jpeg.getWidth() / jpeg.getHeight(), 0.02,
                "aspect kept");

        HttpResponse<byte[]> caption = thumbnail("caption-" + item.id());
        assertEquals(404, caption.statusCode());
        assertTrue(new String(caption.body()).contains("is a caption"), new String(caption.body()));
        HttpResponse<byte[]> unknown = thumbnail("never-indexed");
        assertEquals(404, unknown.statusCode());
        assertTrue(new String(unknown.body()).contains("\"error\""), "a JSON error");
    }
}
