# harden-wizard's network probe, for x86_64 Linux. It runs in a container that joins the
# network namespace of the container under test (--network container:<id>), so verify
# never needs the host's network. No libc, no files: it works in an image made FROM scratch.
#
#   probe PORT            connect to 127.0.0.1:PORT; exit 0 when accepted
#   probe PORT REQUEST    also send REQUEST, print the answer's first 512 bytes (read until
#                         the server closes, 512 bytes came, or 3 s pass without more)
#
# Exit codes: 0 ok, 1 connection refused or failed, 2 bad arguments, 3 no answer in 3 s.
    .globl _start
    .text
_start:
    mov (%rsp), %r13            # argc
    lea 8(%rsp), %r14           # argv
    cmp $2, %r13
    jl usage
    mov 8(%r14), %rsi           # argv[1]: the port, decimal
    xor %eax, %eax
parse:
    movzbl (%rsi), %edx
    test %edx, %edx
    jz parsed
    sub $48, %edx
    cmp $9, %edx
    ja usage
    imul $10, %eax, %eax
    add %edx, %eax
    cmp $65535, %eax
    ja usage
    inc %rsi
    jmp parse
parsed:
    test %eax, %eax
    jz usage
    sub $560, %rsp              # sockaddr_in (16), timeval (16), answer (512)
    movw $2, (%rsp)             # AF_INET
    xchg %al, %ah               # the port in network byte order
    mov %ax, 2(%rsp)
    movl $0x0100007f, 4(%rsp)   # 127.0.0.1
    movq $0, 8(%rsp)
    movq $3, 16(%rsp)           # receive timeout: 3 s
    movq $0, 24(%rsp)
    mov $41, %eax               # socket(AF_INET, SOCK_STREAM, 0)
    mov $2, %edi
    mov $1, %esi
    xor %edx, %edx
    syscall
    test %rax, %rax
    js fail
    mov %rax, %r12
    mov $54, %eax               # setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeval, 16)
    mov %r12, %rdi
    mov $1, %esi
    mov $20, %edx
    lea 16(%rsp), %r10
    mov $16, %r8d
    syscall
    mov $42, %eax               # connect(fd, &sockaddr, 16)
    mov %r12, %rdi
    mov %rsp, %rsi
    mov $16, %edx
    syscall
    test %rax, %rax
    jnz fail
    cmp $3, %r13
    jl ok
    mov 16(%r14), %rsi          # argv[2]: the request
    xor %edx, %edx
length:
    cmpb $0, (%rsi,%rdx)
    je send
    inc %rdx
    jmp length
send:
    mov $1, %eax                # write(fd, request, length)
    mov %r12, %rdi
    syscall
    xor %r15d, %r15d            # bytes of the answer so far
readmore:                       # servers often send the headers and the body apart: read on
    xor %eax, %eax              # read(fd, answer + n, 512 - n)
    mov %r12, %rdi
    lea 32(%rsp,%r15), %rsi
    mov $512, %edx
    sub %r15, %rdx
    syscall
    test %rax, %rax
    jle readdone                # closed, timed out or failed: the answer is what came
    add %rax, %r15
    cmp $512, %r15
    jl readmore
readdone:
    test %r15, %r15
    jz noanswer
    mov %r15, %rdx              # write(1, answer, n)
    mov $1, %eax
    mov $1, %edi
    lea 32(%rsp), %rsi
    syscall
ok:
    xor %edi, %edi
    jmp exit
fail:
    mov $1, %edi
    jmp exit
usage:
    mov $2, %edi
    jmp exit
noanswer:
    mov $3, %edi
exit:
    mov $60, %eax
    syscall
