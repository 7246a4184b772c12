/*
 * Native calls of org.spice.video that read and write Java arrays in place, which JNA cannot do: it hands native code
 * a copy of an array (Get<Type>ArrayElements) or native memory that has to be copied to and from the arrays, an extra
 * pass over every byte of a JPEG and every pixel of its picture (and of an LZ4 image's). Here the arrays are pinned
 * (GetPrimitiveArrayCritical) for the one call.
 *
 * The library functions are called through the addresses JNA resolved (HeapArrayCalls' callers pass them), so this
 * file needs no library's headers and links against nothing but libc: the prototypes below are the libraries'
 * documented ones. The caller has checked every size; nothing here allocates, and no JNI function is called while
 * an array is pinned.
 */
#include <jni.h>
#include <stdint.h>

/* Pins `in` (read only) and `out` for one library call: true with both pinned, false with neither (an
 * OutOfMemoryError is then pending, thrown on return to Java). */
static int pin_in_out(JNIEnv *env, jarray in, void **in_elems, jarray out, void **out_elems)
{
    *in_elems = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    if (*in_elems == NULL) {
        return 0;
    }
    *out_elems = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (*out_elems == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, in, *in_elems, JNI_ABORT);
        return 0;
    }
    return 1;
}

/* Releases what pin_in_out pinned: `out`'s elements written back, `in`'s dropped. */
static void unpin_in_out(JNIEnv *env, jarray in, void *in_elems, jarray out, void *out_elems)
{
    (*env)->ReleasePrimitiveArrayCritical(env, out, out_elems, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, in_elems, JNI_ABORT);
}

/* libjpeg-turbo's TurboJPEG 2 API: int tjDecompressHeader3(tjhandle, const unsigned char *, unsigned long,
 * int *width, int *height, int *jpegSubsamp, int *jpegColorspace) and int tjDecompress2(tjhandle,
 * const unsigned char *, unsigned long, unsigned char *dst, int width, int pitch, int height, int pixelFormat,
 * int flags). */
typedef int (*tj_decompress_header3)(void *handle, const unsigned char *jpeg, unsigned long size, int *width,
                                     int *height, int *subsampling, int *colorspace);
typedef int (*tj_decompress2)(void *handle, const unsigned char *jpeg, unsigned long size, unsigned char *dst,
                              int width, int pitch, int height, int pixel_format, int flags);

/* Reads the header of the JPEG at jpeg[offset, offset + length) (the caller checked the range) into header[0..3]:
 * width, height, subsampling, colorspace. Returns tjDecompressHeader3's answer; when an array cannot be pinned, the
 * OutOfMemoryError pending is thrown on return, and the -2 is never seen. */
JNIEXPORT jint JNICALL Java_org_spice_video_internal_HeapArrayCalls_tjDecompressHeader3Native(
        JNIEnv *env, jclass cls, jlong function, jlong handle, jbyteArray jpeg, jint offset, jint length,
        jintArray header)
{
    (void) cls;
    int values[4] = {0, 0, 0, 0};
    unsigned char *bytes = (*env)->GetPrimitiveArrayCritical(env, jpeg, NULL);
    if (bytes == NULL) {
        return -2;
    }
    int status = ((tj_decompress_header3) (intptr_t) function)((void *) (intptr_t) handle, bytes + offset,
            (unsigned long) length, &values[0], &values[1], &values[2], &values[3]);
    (*env)->ReleasePrimitiveArrayCritical(env, jpeg, bytes, JNI_ABORT);
    (*env)->SetIntArrayRegion(env, header, 0, 4, values);
    return status;
}

/* Decodes the JPEG at jpeg[offset, offset + length) into `dst`, a Java int array of width * height pixels (the
 * caller checked the range and the length), packed rows (pitch 0). Returns tjDecompress2's answer; when an array
 * cannot be pinned, the OutOfMemoryError pending is thrown on return, and the -2 is never seen. */
JNIEXPORT jint JNICALL Java_org_spice_video_internal_HeapArrayCalls_tjDecompress2Native(
        JNIEnv *env, jclass cls, jlong function, jlong handle, jbyteArray jpeg, jint offset, jint length,
        jintArray dst, jint width, jint height, jint pixel_format, jint flags)
{
    (void) cls;
    void *bytes;
    void *pixels;
    if (!pin_in_out(env, jpeg, &bytes, dst, &pixels)) {
        return -2;
    }
    int status = ((tj_decompress2) (intptr_t) function)((void *) (intptr_t) handle,
            (unsigned char *) bytes + offset, (unsigned long) length, pixels, width, 0, height, pixel_format, flags);
    unpin_in_out(env, jpeg, bytes, dst, pixels);
    return status;
}

/* liblz4's int LZ4_decompress_safe_usingDict(const char *src, char *dst, int srcSize, int dstCapacity,
 * const char *dictStart, int dictSize). */
typedef int (*lz4_decompress_safe_using_dict)(const char *src, char *dst, int src_size, int dst_capacity,
                                              const char *dict_start, int dict_size);

/* Decodes the LZ4 blocks of a SPICE LZ4 image at data[offset, offset + length) (the caller checked the range), each
 * a big-endian u32 size and a raw block whose matches may reach back into everything decoded before it, one after
 * the other into the bytes of `dst`, a Java int array of dst_bytes / 4 elements. liblz4 writes no byte past
 * dst_bytes and reads none outside a block. Returns the bytes decoded; -1 when liblz4 refused a block (not LZ4, or
 * decoding past dst_bytes), -3 when a block's size is cut short or runs past the data; -2 when an array cannot be
 * pinned (the OutOfMemoryError pending is thrown on return). */
JNIEXPORT jint JNICALL Java_org_spice_video_internal_HeapArrayCalls_lz4DecodeBlocksNative(
        JNIEnv *env, jclass cls, jlong function, jbyteArray data, jint offset, jint length, jintArray dst,
        jint dst_bytes)
{
    (void) cls;
    void *bytes;
    void *pixels;
    if (!pin_in_out(env, data, &bytes, dst, &pixels)) {
        return -2;
    }
    char *out = pixels;
    lz4_decompress_safe_using_dict decompress = (lz4_decompress_safe_using_dict) (intptr_t) function;
    const unsigned char *in = (const unsigned char *) bytes + offset;
    const unsigned char *end = in + length;
    int decoded = 0;
    while (in < end) {
        if (end - in < 4) {
            decoded = -3;
            break;
        }
        uint32_t size = (uint32_t) in[0] << 24 | (uint32_t) in[1] << 16 | (uint32_t) in[2] << 8 | in[3];
        in += 4;
        if (size > (uint32_t) (end - in)) {
            decoded = -3;
            break;
        }
        /* the output so far is the block's dictionary, in place before it (liblz4's prefix case) */
        int n = decompress((const char *) in, out + decoded, (int) size, dst_bytes - decoded, out, decoded);
        if (n < 0) {
            decoded = -1;
            break;
        }
        decoded += n;
        in += size;
    }
    unpin_in_out(env, data, bytes, dst, pixels);
    return decoded;
}
