/*
 * A boot sector for `spice bench video` (scripts/bench/video.sh): VGA mode 13h (320x200, 256 colours) with a grey
 * ramp palette, black and still for STILL frame times (QEMU 7.2's spice-server may crash when a client's
 * PREFERRED_VIDEO_CODEC_TYPE arrives while it already streams), then forever: MOVING frames of a diagonal gradient
 * moving one step a frame, about 30 a second (BIOS wait of 33 ms), then the last frame held still for HOLD frame
 * times. Streaming servers (QEMU with streaming-video=all) turn the moving part into video streams. Built with as --32, ld -Ttext 0x7c00 and objcopy
 * -O binary; `as --defsym MOVING=900` etc. change the defaults (240, 300, 300). The bench's VgaRamp draws the same
 * frames in Java.
 */
        .ifndef STILL
        .set    STILL, 240
        .endif
        .ifndef MOVING
        .set    MOVING, 300
        .endif
        .ifndef HOLD
        .set    HOLD, 300
        .endif
        .code16
        .globl _start
_start:
        cli
        xor     %ax, %ax
        mov     %ax, %ds
        mov     %ax, %ss
        mov     $0x7c00, %sp
        sti
        mov     $0x0013, %ax            /* mode 13h */
        int     $0x10
        /* palette: entry i = grey (i / 4) in the DAC's 6 bits */
        mov     $0x3c8, %dx
        xor     %al, %al
        out     %al, %dx
        inc     %dx
        xor     %cx, %cx
pal:    mov     %cl, %al
        shr     $2, %al
        out     %al, %dx
        out     %al, %dx
        out     %al, %dx
        inc     %cx
        cmp     $256, %cx
        jne     pal
        mov     $0xa000, %ax
        mov     %ax, %es
        xor     %bp, %bp                /* t */
        mov     $STILL, %si             /* still for 8 s after boot: clients link and state their codecs */
        jmp     hold
cycle:  mov     $MOVING, %si            /* frames that move */
frame:  xor     %di, %di
        xor     %bx, %bx                /* y */
row:    mov     %bx, %dx
        add     %bp, %dx                /* x + y + t, x = 0 */
        mov     $320, %cx
col:    mov     %dx, %ax                /* pixel = (x + y + t) / 2: a soft ramp */
        shr     $1, %ax
        stosb
        inc     %dx
        loop    col
        inc     %bx
        cmp     $200, %bx
        jne     row
        inc     %bp
        call    wait
        dec     %si
        jnz     frame
        mov     $HOLD, %si              /* frames held still */
hold:   call    wait
        dec     %si
        jnz     hold
        jmp     cycle

wait:   mov     $0x8600, %ax            /* BIOS: wait CX:DX microseconds */
        xor     %cx, %cx
        mov     $33000, %dx
        int     $0x15
        ret

        .org    510
        .byte   0x55, 0xaa
