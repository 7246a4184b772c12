/*
 * The GLZ side of the C reference (org.spice.bench, docs/codec-bench.md): spice-gtk's GLZ decoder (decode-glz.c
 * from Debian's spice-gtk 0.42 source package, with its image window) behind JNI, built with spice_c_reference.c by
 * scripts/bench/build-c-reference.sh.
 */
#include <jni.h>
#include <string.h>
#include <glib.h>
#include <pixman.h>

#include "decode.h"
#include "common/canvas_utils.h"

/* What decode-glz.c uses of spice-gtk's coroutines (declared in its gio-coroutine.h, here with the same ABI) and
 * debug switch. The harness decodes each image with an empty window (as DecoderBenchmark's GLZ does), so the
 * decoder never waits for an image that is not there yet. */
void *g_coroutine_self(void)
{
    return NULL;
}

gboolean g_coroutine_condition_wait(void *coroutine, gboolean (*func)(gpointer), gpointer data)
{
    (void) coroutine;
    return func(data);
}

gboolean spice_util_get_debug(void)
{
    return FALSE;
}

static SpiceGlzDecoderWindow *window;
static SpiceGlzDecoder *decoder;

/*
 * Decodes one GLZ image (an LZ header with image id, then the data) with an emptied window into out, one int a
 * pixel (B, G, R, X in memory), as spice-gtk decodes into a pixman surface of its own and then draws it; returns
 * width << 16 | height, or 0 for data the decoder refused (it logs and returns without a picture).
 */
JNIEXPORT jint JNICALL Java_org_spice_bench_CReference_glzDecode(JNIEnv *env, jclass cls, jbyteArray in, jint length,
                                                                 jintArray out)
{
    (void) cls;
    (void) length;
    if (window == NULL) {
        window = glz_decoder_window_new();
        decoder = glz_decoder_new(window);
    }
    glz_decoder_window_clear(window);
    LzDecodeUsrData usr = { NULL };
    uint8_t *src = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    decoder->ops->decode(decoder, src, NULL, &usr);
    (*env)->ReleasePrimitiveArrayCritical(env, in, src, JNI_ABORT);
    if (usr.out_surface == NULL) {
        return 0;
    }
    int width = pixman_image_get_width(usr.out_surface);
    int height = pixman_image_get_height(usr.out_surface);
    int stride = pixman_image_get_stride(usr.out_surface);
    const uint8_t *bits = (const uint8_t *) pixman_image_get_data(usr.out_surface);
    jint result = 0;
    if ((jlong) width * height <= (*env)->GetArrayLength(env, out)) {
        uint8_t *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
        for (int y = 0; y < height; y++) {
            memcpy(dst + (size_t) y * width * 4, bits + (ptrdiff_t) y * stride, (size_t) width * 4);
        }
        (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
        result = width << 16 | height;
    }
    pixman_image_unref(usr.out_surface);
    return result;
}
