/* clone_vm.c - clone3 for a child that shares our memory until it execs
 * (CLONE_VM | CLONE_VFORK, as posix_spawn does), running fn(arg) on a stack
 * of its own: no page tables copied, no copy-on-write faults afterwards.
 * The child cannot return into the caller's frames, so the switch to fn
 * is a few instructions of assembly; where there are none for this
 * architecture, -ENOSYS and the caller forks instead. */
#include <stddef.h>
#include <sys/syscall.h>

#include "internal.h"

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* AddressSanitizer tracks one stack per thread and warns when code runs on
 * another (the child's, here): sanitized builds fork instead. */
#if defined(__SANITIZE_ADDRESS__)
#define UMUCG_NO_CLONE_VM 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UMUCG_NO_CLONE_VM 1
#endif
#endif

#if defined(__x86_64__) && !defined(UMUCG_NO_CLONE_VM)
long clone3_vm(void *args, size_t size, int (*fn)(void *), void *arg)
{
	/* The child starts at the instruction after syscall with rax 0, rsp
	 * at the top of args' stack and every other register as the parent
	 * had it: fn and arg travel in r12 and r13. It calls fn(arg) and, if
	 * fn returns, exits (SYS_exit, 60) with its value; it never comes back
	 * here, where the parent's frames are. */
	register long rax __asm__("rax") = SYS_clone3;
	register void *rdi __asm__("rdi") = args;
	register size_t rsi __asm__("rsi") = size;
	register int (*r12)(void *) __asm__("r12") = fn;
	register void *r13 __asm__("r13") = arg;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "mov %%r13, %%rdi\n\t"
			 "call *%%r12\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "+r"(rax)
			 : "r"(rdi), "r"(rsi), "r"(r12), "r"(r13)
			 : "rcx", "r11", "memory", "cc");
	return rax;
}
#else
long clone3_vm(void *args, size_t size, int (*fn)(void *), void *arg)
{
	(void)args;
	(void)size;
	(void)fn;
	(void)arg;
	return -ENOSYS;
}
#endif
