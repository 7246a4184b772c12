/*
 * A boot sector for QemuCursorIT: it finds QEMU's VMware SVGA II device (-vga vmware) on PCI, turns SVGA mode
 * on with a command FIFO, defines a 32x32 hardware cursor (hot spot 3,5) through the FIFO and keeps showing it at
 * 100,80.
 * QEMU hands the cursor to its SPICE server (dpy_cursor_define, dpy_mouse_set), which sends it to clients.
 *
 * The cursor: pixel x,y is opaque with colour R = 8x, G = 8y, B = 0x40 where x < 16 and y < 24, and
 * transparent elsewhere. Built with as, ld -Ttext 0x7c00 and objcopy -O binary.
 */
        .code16
        .globl _start
_start:
        cli
        xor     %ax, %ax
        mov     %ax, %ds
        lgdt    gdtr
        mov     %cr0, %eax
        or      $1, %eax
        mov     %eax, %cr0
        ljmp    $0x08, $pm

        .code32
pm:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     $0x7c00, %esp

        /* find vendor 0x15ad device 0x0405 on bus 0 */
        xor     %ebx, %ebx
find:
        mov     %ebx, %eax
        shl     $11, %eax
        or      $0x80000000, %eax
        mov     %eax, %esi
        mov     $0xcf8, %dx
        out     %eax, %dx
        mov     $0xcfc, %dx
        in      %dx, %eax
        cmp     $0x040515ad, %eax
        je      found
        inc     %ebx
        cmp     $32, %ebx
        jb      find
        jmp     halt

found:
        lea     0x10(%esi), %eax        /* BAR0: I/O ports, index at +0 and value at +1 */
        mov     $0xcf8, %dx
        out     %eax, %dx
        mov     $0xcfc, %dx
        in      %dx, %eax
        and     $0xfffffffc, %eax
        mov     %eax, %ebp
        lea     0x18(%esi), %eax        /* BAR2: the command FIFO */
        mov     $0xcf8, %dx
        out     %eax, %dx
        mov     $0xcfc, %dx
        in      %dx, %eax
        and     $0xfffffff0, %eax
        mov     %eax, %esi

        .macro  svga index, value
        mov     $\index, %eax
        mov     %ebp, %edx
        out     %eax, %dx
        mov     $\value, %eax
        inc     %edx
        out     %eax, %dx
        .endm

        svga    0, 0x90000002           /* SVGA_REG_ID: SVGA_ID_2 */
        svga    2, 640                  /* WIDTH */
        svga    3, 480                  /* HEIGHT */
        svga    7, 32                   /* BITS_PER_PIXEL */
        movl    $16, 0(%esi)            /* FIFO MIN */
        movl    $0x10000, 4(%esi)       /* FIFO MAX */
        movl    $16, 8(%esi)            /* NEXT_CMD */
        movl    $16, 12(%esi)           /* STOP */
        svga    1, 1                    /* ENABLE */
        svga    20, 1                   /* CONFIG_DONE */

        lea     16(%esi), %edi
        mov     $19, %eax               /* SVGA_CMD_DEFINE_CURSOR */
        stosl
        mov     $1, %eax                /* id */
        stosl
        mov     $3, %eax                /* hot x */
        stosl
        mov     $5, %eax                /* hot y */
        stosl
        mov     $32, %eax               /* width */
        stosl
        stosl                           /* height */
        mov     $1, %eax                /* AND mask depth */
        stosl
        mov     $32, %eax               /* XOR image depth */
        stosl

        /* AND mask, one 32-bit word per row, first pixel in the top bit of the first byte: set = transparent */
        xor     %ecx, %ecx
mask:
        mov     $0xffff0000, %eax       /* columns 0-15 opaque */
        cmp     $24, %ecx
        jb      1f
        mov     $0xffffffff, %eax
1:      stosl
        inc     %ecx
        cmp     $32, %ecx
        jb      mask

        /* the image, 0x00RRGGBB per pixel */
        xor     %ecx, %ecx              /* y */
rows:
        xor     %ebx, %ebx              /* x */
cols:
        xor     %eax, %eax
        cmp     $16, %ebx
        jae     2f
        cmp     $24, %ecx
        jae     2f
        mov     %ebx, %eax
        shl     $19, %eax               /* R = 8x */
        mov     %ecx, %edx
        shl     $11, %edx               /* G = 8y */
        or      %edx, %eax
        or      $0x40, %eax
2:      stosl
        inc     %ebx
        cmp     $32, %ebx
        jb      cols
        inc     %ecx
        cmp     $32, %ecx
        jb      rows

        mov     %edi, %eax
        sub     %esi, %eax
        mov     %eax, 8(%esi)           /* NEXT_CMD past the command */
        svga    21, 1                   /* SYNC: QEMU runs the FIFO */

        /* Show the cursor at 100,80, again and again: a move QEMU queued before it passed on the definition
           would be dropped, so the position is repeated for as long as the machine runs. */
show:
        svga    25, 100                 /* CURSOR_X */
        svga    26, 80                  /* CURSOR_Y */
        svga    27, 1                   /* CURSOR_ON: show */
        mov     $0x2000000, %ecx
3:      dec     %ecx
        jnz     3b
        jmp     show

halt:
        cli
        hlt
        jmp     halt

        .p2align 3
gdt:
        .quad   0
        .quad   0x00cf9a000000ffff      /* 0x08: flat 32-bit code */
        .quad   0x00cf92000000ffff      /* 0x10: flat data */
gdtr:
        .word   gdtr - gdt - 1
        .long   gdt

        .org    510
        .byte   0x55, 0xaa
