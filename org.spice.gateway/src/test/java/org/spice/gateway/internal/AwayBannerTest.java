package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spice.desktop.DisplaySource;
import org.spice.desktop.Frame;
import org.spice.desktop.Rect;

class AwayBannerTest {
    private static Frame noise(int w, int h, long serial) {
        int[] px = new int[w * h];
        Random r = new Random(5);
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(0x1000000);
        }
        return new Frame(w, h, px, serial);
    }

    @Test
    void thePictureIsDimmedOutsideABandWithTextAcrossTheMiddle() {
        Frame last = noise(400, 300, 7);
        Frame away = AwayBanner.over(last, 8);
        assertEquals(8, away.serial());
        assertEquals(400, away.width());
        assertEquals(300, away.height());
        int top = (300 - AwayBanner.BAND) / 2;
        int white = 0;
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                int i = y * 400 + x;
                int p = away.rgb()[i];
                if (y < top || y >= top + AwayBanner.BAND) {
                    assertEquals(AwayBanner.dim(last.rgb()[i]), p, "at " + x + "," + y);
                } else if (p == 0xffffff) {
                    white++;
                } else {
                    assertEquals(AwayBanner.BAND_RGB, p, "the band at " + x + "," + y);
                }
            }
        }
        assertTrue(white > 200, "the band's text: " + white + " white pixels");
        assertEquals(0x7f0040, AwayBanner.dim(0xff0080));
    }

    @Test
    void aPictureLowerThanTheBandIsAllBand() {
        Frame away = AwayBanner.over(noise(50, 10, 1), 2);
        for (int p : away.rgb()) {
            assertTrue(p == AwayBanner.BAND_RGB || p == 0xffffff, Integer.toHexString(p));
        }
    }

    @Test
    void theGatewayShowsItWhenTheVmGoesAndTheVmsNextPictureWhole() {
        List<Runnable> queued = new ArrayList<>();
        GatewaySource source = new GatewaySource(queued::add);
        List<Rect> changes = new ArrayList<>();
        source.addListener((DisplaySource.Listener) (frame, dirty) -> changes.add(dirty));
        GatewaySourceTest.FakeDisplay vm = new GatewaySourceTest.FakeDisplay();
        source.attach(0, vm);
        Frame picture = noise(120, 90, 1);
        vm.draw(picture, new Rect(0, 0, 120, 90));
        queued.forEach(Runnable::run);
        queued.clear();

        source.away();
        assertEquals(List.of(), vm.listeners, "the gone VM's display is no longer followed");
        assertArrayEquals(AwayBanner.over(picture, 0).rgb(), source.frame().rgb());
        assertEquals(new Rect(0, 0, 120, 90), changes.get(changes.size() - 1));

        GatewaySourceTest.FakeDisplay back = new GatewaySourceTest.FakeDisplay();
        back.primary = picture;
        source.attach(0, back);
        queued.forEach(Runnable::run);
        assertArrayEquals(picture.rgb(), source.frame().rgb());
        assertEquals(new Rect(0, 0, 120, 90), changes.get(changes.size() - 1));
    }
}
