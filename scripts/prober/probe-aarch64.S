// harden-wizard's network probe, for aarch64 Linux: the same program as probe-x86_64.S
// (read that file for what it does and its exit codes).
    .globl _start
    .text
_start:
    ldr x19, [sp]               // argc
    add x20, sp, #8             // argv
    cmp x19, #2
    b.lt usage
    ldr x1, [x20, #8]           // argv[1]: the port, decimal
    mov w2, #0
    mov w4, #10
    mov w5, #65535
parse:
    ldrb w3, [x1], #1
    cbz w3, parsed
    sub w3, w3, #48
    cmp w3, #9
    b.hi usage
    madd w2, w2, w4, w3
    cmp w2, w5
    b.hi usage
    b parse
parsed:
    cbz w2, usage
    sub sp, sp, #560            // sockaddr_in (16), timeval (16), answer (512)
    mov w6, #2                  // AF_INET
    strh w6, [sp]
    rev16 w2, w2                // the port in network byte order
    strh w2, [sp, #2]
    movz w6, #0x007f            // 127.0.0.1
    movk w6, #0x0100, lsl #16
    str w6, [sp, #4]
    str xzr, [sp, #8]
    mov x6, #3                  // receive timeout: 3 s
    str x6, [sp, #16]
    str xzr, [sp, #24]
    mov x0, #2                  // socket(AF_INET, SOCK_STREAM, 0)
    mov x1, #1
    mov x2, #0
    mov x8, #198
    svc #0
    tbnz x0, #63, fail
    mov x21, x0
    mov x0, x21                 // setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeval, 16)
    mov x1, #1
    mov x2, #20
    add x3, sp, #16
    mov x4, #16
    mov x8, #208
    svc #0
    mov x0, x21                 // connect(fd, &sockaddr, 16)
    mov x1, sp
    mov x2, #16
    mov x8, #203
    svc #0
    cbnz x0, fail
    cmp x19, #3
    b.lt ok
    ldr x1, [x20, #16]          // argv[2]: the request
    mov x2, #0
length:
    ldrb w3, [x1, x2]
    cbz w3, send
    add x2, x2, #1
    b length
send:
    mov x0, x21                 // write(fd, request, length)
    mov x8, #64
    svc #0
    mov x22, #0                 // bytes of the answer so far
readmore:                       // servers often send the headers and the body apart: read on
    mov x0, x21                 // read(fd, answer + n, 512 - n)
    add x1, sp, #32
    add x1, x1, x22
    mov x2, #512
    sub x2, x2, x22
    mov x8, #63
    svc #0
    cmp x0, #0
    b.le readdone               // closed, timed out or failed: the answer is what came
    add x22, x22, x0
    cmp x22, #512
    b.lt readmore
readdone:
    cbz x22, noanswer
    mov x2, x22                 // write(1, answer, n)
    mov x0, #1
    add x1, sp, #32
    mov x8, #64
    svc #0
ok:
    mov x0, #0
    b exit
fail:
    mov x0, #1
    b exit
usage:
    mov x0, #2
    b exit
noanswer:
    mov x0, #3
exit:
    mov x8, #93
    svc #0
