package io.estuary.e2e;

import java.io.File;
import java.time.Duration;

import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;

/** Debian's Chromium and chromedriver, which the test command installs, for the console's browser tests. */
final class HeadlessChromium {
    private HeadlessChromium() {
    }

    /** A new browser; as root in a container it needs no sandbox and no /dev/shm. */
    static WebDriver start(Duration pageLoad) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getenv().getOrDefault("ESTUARY_CHROMIUM", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getenv().getOrDefault("ESTUARY_CHROMEDRIVER",
                        "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(pageLoad).scriptTimeout(pageLoad);
        return driver;
    }

    /**
     * The element's page is gone. While a page is replaced, chromedriver sometimes answers for an element of the old
     * one with an unknown error, the node "does not belong to the document", instead of calling it stale
     * (SeleniumHQ/selenium#15401): that is the same answer.
     */
    static ExpectedCondition<Boolean> gone(WebElement element) {
        return browser -> {
            try {
                element.isEnabled();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        };
    }
}
