/* The parts of the ELF32 format the kernel reads. */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <stdint.h>

struct elf32_shdr {
	uint32_t sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info, sh_addralign, sh_entsize;
};

#define SHT_SYMTAB 2

struct elf32_sym {
	uint32_t st_name, st_value, st_size;
	uint8_t st_info, st_other;
	uint16_t st_shndx;
};

#define ELF32_ST_TYPE(info) ((info)&0xF)
#define STT_FUNC 2

#endif
