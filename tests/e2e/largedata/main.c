/* A 72 MiB .bss array and a 6 MiB initialised .data array: the bss must be
   zero and take no file space, the data must arrive intact, and pointers
   deep into both (stored in data: absolute or RELATIVE relocations) must be
   right. */
#include <stdint.h>
#include <stdio.h>

#define BSS_SIZE (72u << 20)
#define DATA_SIZE (6u << 20)

static unsigned char big_bss[BSS_SIZE];
unsigned char big_data[DATA_SIZE] = {
    [0] = 1, [4096] = 2, [1u << 20] = 3, [(3u << 20) + 7] = 4, [DATA_SIZE - 1] = 5,
};
/* Addresses far into the big arrays, stored in initialised data. */
unsigned char *ptr_into_bss = &big_bss[70u << 20];
unsigned char *ptr_into_data = &big_data[DATA_SIZE - 1];
unsigned char *ptr_past_bss = big_bss + BSS_SIZE;

extern char __bss_start[], _end[], _edata[];
const char small_rodata[] = "after the big arrays";
int small_data_after = 77;

int main(void) {
  /* bss is zero everywhere (sampled each 512 bytes) */
  int zero = 1;
  for (uint32_t i = 0; i < BSS_SIZE; i += 512) zero &= big_bss[i] == 0;
  printf("bss initially zero: %s\n", zero ? "yes" : "no");

  /* touch every page of the bss, then checksum it */
  for (uint32_t i = 0; i < BSS_SIZE; i += 4096) big_bss[i] = (unsigned char)(i >> 12);
  uint64_t sum = 0;
  for (uint32_t i = 0; i < BSS_SIZE; i += 4096) sum += big_bss[i];
  printf("bss page checksum: %llu\n", (unsigned long long)sum);

  uint64_t dsum = 0, nonzero = 0;
  for (uint32_t i = 0; i < DATA_SIZE; i++) {
    dsum += big_data[i] * (uint64_t)(i % 1000 + 1);
    nonzero += big_data[i] != 0;
  }
  printf("data checksum: %llu, nonzero bytes: %llu\n", (unsigned long long)dsum, (unsigned long long)nonzero);

  *ptr_into_bss = 0xAB;
  printf("ptr_into_bss ok: %s, value %#x\n", ptr_into_bss == big_bss + (70u << 20) ? "yes" : "no",
         big_bss[70u << 20]);
  printf("ptr_into_data ok: %s, value %d\n", ptr_into_data == big_data + DATA_SIZE - 1 ? "yes" : "no", *ptr_into_data);
  printf("ptr_past_bss ok: %s\n", ptr_past_bss == big_bss + BSS_SIZE ? "yes" : "no");
  printf("bss within [__bss_start, _end): %s\n",
         (char *)big_bss >= __bss_start && (char *)big_bss + BSS_SIZE <= _end ? "yes" : "no");
  printf("data before _edata: %s\n", (char *)big_data + DATA_SIZE <= _edata ? "yes" : "no");
  printf("%s, %d\n", small_rodata, small_data_after);
  return 0;
}
