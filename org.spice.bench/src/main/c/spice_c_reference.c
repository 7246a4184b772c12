/*
 * JNI harness around the C codecs the SPICE peers use, so that JMH measures them in the same run and on the same
 * inputs as our Java codecs (org.spice.bench.CReference). It is built by scripts/bench/build-c-reference.sh against
 * spice-common's quic.c and lz.c from Debian's spice source package, liblz4 and libjpeg-turbo.
 *
 * Each call works on the Java arrays in place (GetPrimitiveArrayCritical: no copies) and keeps one codec context
 * per process, as a spice-gtk display channel keeps one per channel. The decoders write into a buffer the caller
 * reuses, the best case for the C side (spice-gtk allocates a surface per image). The benchmark is single-threaded.
 */
#include <jni.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include <lz4.h>
#include <jpeglib.h>

#include "quic.h"
#include "lz.h"

/* spice-common's log.h declares spice_log (defined in its log.c, which drags in the recorder); the codecs only
 * call it on a broken invariant, which for a benchmark input is a failure to report, not to survive. */
void spice_log(GLogLevelFlags level, const char *strloc, const char *function, const char *format, ...)
{
    va_list args;
    fprintf(stderr, "spice-common %s %s: ", strloc, function);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) {
        abort();
    }
}

/* The codecs report a bad stream through a callback that must not return: jump back to the JNI entry point. */
static jmp_buf codec_failed;
static char codec_message[256];

static SPICE_GNUC_NORETURN void fail_with(const char *fmt, va_list args)
{
    vsnprintf(codec_message, sizeof(codec_message), fmt, args);
    longjmp(codec_failed, 1);
}

static void quiet(const char *fmt, va_list args)
{
    (void) fmt;
    (void) args;
}

#define CALLBACKS(Usr)                                                                            \
    static SPICE_GNUC_NORETURN void Usr##_error(Usr *usr, const char *fmt, ...)                   \
    { va_list a; (void) usr; va_start(a, fmt); fail_with(fmt, a); }                               \
    static void Usr##_warn(Usr *usr, const char *fmt, ...)                                        \
    { va_list a; (void) usr; va_start(a, fmt); quiet(fmt, a); va_end(a); }                        \
    static void *Usr##_malloc(Usr *usr, int size) { (void) usr; return malloc(size); }            \
    static void Usr##_free(Usr *usr, void *ptr) { (void) usr; free(ptr); }

CALLBACKS(QuicUsrContext)
CALLBACKS(LzUsrContext)

/* The whole stream and the whole image are handed over at once: asking for more is a too small buffer. */
static int quic_more_space(QuicUsrContext *usr, uint32_t **io_ptr, int rows_completed)
{
    (void) usr; (void) io_ptr; (void) rows_completed;
    return 0;
}

static int quic_more_lines(QuicUsrContext *usr, uint8_t **lines)
{
    (void) usr; (void) lines;
    return 0;
}

static int lz_more_space(LzUsrContext *usr, uint8_t **io_ptr)
{
    (void) usr; (void) io_ptr;
    return 0;
}

static int lz_more_lines(LzUsrContext *usr, uint8_t **lines)
{
    (void) usr; (void) lines;
    return 0;
}

static QuicUsrContext quic_usr = {
    QuicUsrContext_error, QuicUsrContext_warn, QuicUsrContext_warn, QuicUsrContext_malloc, QuicUsrContext_free,
    quic_more_space, quic_more_lines
};
static LzUsrContext lz_usr = {
    LzUsrContext_error, LzUsrContext_warn, LzUsrContext_warn, LzUsrContext_malloc, LzUsrContext_free,
    lz_more_space, lz_more_lines
};
static QuicContext *quic;
static LzContext *lz;

static void throw_codec_error(JNIEnv *env, const char *codec)
{
    char message[320];
    snprintf(message, sizeof(message), "C %s: %s", codec, codec_message);
    (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/IllegalArgumentException"), message);
}

static int check_capacity(JNIEnv *env, jarray array, jlong needed, const char *what)
{
    if ((*env)->GetArrayLength(env, array) < needed) {
        char message[128];
        snprintf(message, sizeof(message), "%s holds fewer than %lld elements", what, (long long) needed);
        (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/IllegalArgumentException"), message);
        return 0;
    }
    return 1;
}

/* Decodes a QUIC stream (RGB32 or RGBA) into out, one int a pixel; returns width << 16 | height. */
JNIEXPORT jint JNICALL Java_org_spice_bench_CReference_quicDecode(JNIEnv *env, jclass cls, jbyteArray in, jint length,
                                                                  jintArray out)
{
    (void) cls;
    if (quic == NULL) {
        quic = quic_create(&quic_usr);
    }
    jint capacity = (*env)->GetArrayLength(env, out);
    uint8_t *src = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    uint8_t *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    QuicImageType type;
    int width = 0, height = 0;
    volatile int ok = 0;
    if (setjmp(codec_failed) == 0) {
        quic_decode_begin(quic, (uint32_t *) src, length / 4, &type, &width, &height);
        if ((jlong) width * height <= capacity) {
            quic_decode(quic, type == QUIC_IMAGE_TYPE_RGBA ? QUIC_IMAGE_TYPE_RGBA : QUIC_IMAGE_TYPE_RGB32, dst,
                        width * 4);
            ok = 1;
        } else {
            snprintf(codec_message, sizeof(codec_message), "%dx%d does not fit the output", width, height);
        }
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, src, JNI_ABORT);
    if (!ok) {
        throw_codec_error(env, "QUIC");
        return 0;
    }
    return width << 16 | height;
}

/* Decodes an LZ stream (its header included) to RGB32 into out; returns width << 16 | height. */
JNIEXPORT jint JNICALL Java_org_spice_bench_CReference_lzDecode(JNIEnv *env, jclass cls, jbyteArray in, jint length,
                                                                jintArray out)
{
    (void) cls;
    if (lz == NULL) {
        lz = lz_create(&lz_usr);
    }
    jint capacity = (*env)->GetArrayLength(env, out);
    uint8_t *src = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    uint8_t *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    LzImageType type;
    int width = 0, height = 0, n_pixels = 0, top_down = 0;
    volatile int ok = 0;
    if (setjmp(codec_failed) == 0) {
        lz_decode_begin(lz, src, length, &type, &width, &height, &n_pixels, &top_down, NULL);
        if (n_pixels <= capacity) {
            lz_decode(lz, type == LZ_IMAGE_TYPE_RGBA ? LZ_IMAGE_TYPE_RGBA : LZ_IMAGE_TYPE_RGB32, dst);
            ok = 1;
        } else {
            snprintf(codec_message, sizeof(codec_message), "%d pixels do not fit the output", n_pixels);
        }
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, src, JNI_ABORT);
    if (!ok) {
        throw_codec_error(env, "LZ");
        return 0;
    }
    return width << 16 | height;
}

/*
 * Decodes SPICE's LZ4 image data (top-down flag, bitmap format, then blocks each behind a big-endian length, one
 * stream dictionary across blocks) as spice-common's canvas does, for the 32-bit formats only. Returns the bytes
 * decoded.
 */
JNIEXPORT jint JNICALL Java_org_spice_bench_CReference_lz4Decode(JNIEnv *env, jclass cls, jbyteArray in, jint length,
                                                                 jintArray out)
{
    (void) cls;
    if (length < 2) {
        snprintf(codec_message, sizeof(codec_message), "no header");
        throw_codec_error(env, "LZ4");
        return 0;
    }
    jint available = (*env)->GetArrayLength(env, out) * 4;
    uint8_t *src = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    char *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    LZ4_streamDecode_t stream;
    LZ4_setStreamDecode(&stream, NULL, 0);
    const uint8_t *p = src + 2, *end = src + length;
    int decoded = 0, ok = src[1] == 8 || src[1] == 9;   /* SPICE_BITMAP_FMT_32BIT, _RGBA */
    snprintf(codec_message, sizeof(codec_message), "bitmap format %d is not 32-bit", src[1]);
    while (ok && p < end) {
        uint32_t block;
        if (end - p < 4 || (block = (uint32_t) p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]) > (uint32_t) (end - p - 4)) {
            snprintf(codec_message, sizeof(codec_message), "truncated block");
            ok = 0;
            break;
        }
        int n = LZ4_decompress_safe_continue(&stream, (const char *) p + 4, dst + decoded, (int) block,
                                             available - decoded);
        if (n <= 0) {
            snprintf(codec_message, sizeof(codec_message), "bad block");
            ok = 0;
            break;
        }
        decoded += n;
        p += 4 + block;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, src, JNI_ABORT);
    if (!ok) {
        throw_codec_error(env, "LZ4");
        return 0;
    }
    return decoded;
}

struct jpeg_failure {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
};

static void jpeg_failed(j_common_ptr cinfo)
{
    struct jpeg_failure *failure = (struct jpeg_failure *) cinfo->err;
    (*cinfo->err->format_message)(cinfo, codec_message);
    longjmp(failure->jump, 1);
}

/* Decodes a baseline JPEG with libjpeg-turbo straight to 32-bit BGRX (one int a pixel); returns width << 16 | height. */
JNIEXPORT jint JNICALL Java_org_spice_bench_CReference_jpegDecode(JNIEnv *env, jclass cls, jbyteArray in, jint length,
                                                                  jintArray out)
{
    (void) cls;
    static struct jpeg_decompress_struct cinfo;
    static struct jpeg_failure failure;
    static int created;
    if (!created) {
        cinfo.err = jpeg_std_error(&failure.mgr);
        failure.mgr.error_exit = jpeg_failed;
        jpeg_create_decompress(&cinfo);
        created = 1;
    }
    jint capacity = (*env)->GetArrayLength(env, out);
    uint8_t *src = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    uint8_t *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    int width = 0, height = 0;
    volatile int ok = 0;
    if (setjmp(failure.jump) == 0) {
        jpeg_mem_src(&cinfo, src, (unsigned long) length);
        jpeg_read_header(&cinfo, TRUE);
        cinfo.out_color_space = JCS_EXT_BGRX;
        jpeg_start_decompress(&cinfo);
        width = cinfo.output_width;
        height = cinfo.output_height;
        if ((jlong) width * height <= capacity) {
            while (cinfo.output_scanline < cinfo.output_height) {
                JSAMPROW row = dst + (size_t) cinfo.output_scanline * width * 4;
                jpeg_read_scanlines(&cinfo, &row, 1);
            }
            jpeg_finish_decompress(&cinfo);
            ok = 1;
        } else {
            snprintf(codec_message, sizeof(codec_message), "%dx%d does not fit the output", width, height);
            jpeg_abort_decompress(&cinfo);
        }
    } else {
        jpeg_abort_decompress(&cinfo);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, src, JNI_ABORT);
    if (!ok) {
        throw_codec_error(env, "JPEG");
        return 0;
    }
    return width << 16 | height;
}

/* Encodes width x height RGB32 pixels (one int a pixel, rows packed) as QUIC into out; returns the bytes written. */
JNIEXPORT jint JNICALL Java_org_spice_bench_CReference_quicEncode(JNIEnv *env, jclass cls, jintArray pixels,
                                                                  jint width, jint height, jbyteArray out)
{
    (void) cls;
    if (!check_capacity(env, pixels, (jlong) width * height, "pixels")) {
        return 0;
    }
    if (quic == NULL) {
        quic = quic_create(&quic_usr);
    }
    jint words = (*env)->GetArrayLength(env, out) / 4;
    uint8_t *src = (*env)->GetPrimitiveArrayCritical(env, pixels, NULL);
    uint32_t *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    int written = 0;
    volatile int ok = 0;
    if (setjmp(codec_failed) == 0) {
        written = quic_encode(quic, QUIC_IMAGE_TYPE_RGB32, width, height, src, height, width * 4, dst, words);
        ok = written > 0;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, pixels, src, JNI_ABORT);
    if (!ok) {
        throw_codec_error(env, "QUIC encoder");
        return 0;
    }
    return written * 4;
}

/* Encodes width x height RGB32 pixels top-down as LZ (header included) into out; returns the bytes written. */
JNIEXPORT jint JNICALL Java_org_spice_bench_CReference_lzEncode(JNIEnv *env, jclass cls, jintArray pixels,
                                                                jint width, jint height, jbyteArray out)
{
    (void) cls;
    if (!check_capacity(env, pixels, (jlong) width * height, "pixels")) {
        return 0;
    }
    if (lz == NULL) {
        lz = lz_create(&lz_usr);
    }
    jint capacity = (*env)->GetArrayLength(env, out);
    uint8_t *src = (*env)->GetPrimitiveArrayCritical(env, pixels, NULL);
    uint8_t *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    int written = 0;
    volatile int ok = 0;
    if (setjmp(codec_failed) == 0) {
        written = lz_encode(lz, LZ_IMAGE_TYPE_RGB32, width, height, 1, src, height, width * 4, dst, capacity);
        ok = written > 0;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, pixels, src, JNI_ABORT);
    if (!ok) {
        throw_codec_error(env, "LZ encoder");
        return 0;
    }
    return written;
}

/*
 * Makes SPICE LZ4 image data of width x height RGB32 pixels (top-down, SPICE_BITMAP_FMT_32BIT) with liblz4's
 * streaming compressor, as spice-server does: blocks of whole rows (up to 64 KiB of them), each free to refer back
 * into the blocks before it. Only to give the LZ4 decoders inputs QEMU never sent; returns the bytes written.
 */
JNIEXPORT jint JNICALL Java_org_spice_bench_CReference_lz4Encode(JNIEnv *env, jclass cls, jintArray pixels,
                                                                 jint width, jint height, jbyteArray out)
{
    (void) cls;
    if (!check_capacity(env, pixels, (jlong) width * height, "pixels")) {
        return 0;
    }
    jint capacity = (*env)->GetArrayLength(env, out);
    const char *src = (*env)->GetPrimitiveArrayCritical(env, pixels, NULL);
    uint8_t *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    LZ4_stream_t stream;
    LZ4_initStream(&stream, sizeof(stream));
    int stride = width * 4, rows_per_block = 65536 / stride > 0 ? 65536 / stride : 1;
    int written = 2, ok = capacity >= 2;
    if (ok) {
        dst[0] = 1;
        dst[1] = 8;
    }
    for (int row = 0; ok && row < height; row += rows_per_block) {
        int rows = height - row < rows_per_block ? height - row : rows_per_block;
        int n = capacity - written - 4 > 0
                ? LZ4_compress_fast_continue(&stream, src + (size_t) row * stride, (char *) dst + written + 4,
                                             rows * stride, capacity - written - 4, 1)
                : 0;
        if (n <= 0) {
            ok = 0;
            break;
        }
        dst[written] = n >> 24;
        dst[written + 1] = n >> 16;
        dst[written + 2] = n >> 8;
        dst[written + 3] = n;
        written += 4 + n;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, pixels, (void *) src, JNI_ABORT);
    if (!ok) {
        snprintf(codec_message, sizeof(codec_message), "output of %d bytes is too small", capacity);
        throw_codec_error(env, "LZ4 encoder");
        return 0;
    }
    return written;
}
