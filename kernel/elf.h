/* The parts of the ELF32 format the kernel reads. */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <stdint.h>

/* The file header, at offset 0. */
struct elf32_ehdr {
	uint8_t e_ident[16]; /* "\x7fELF", class, data, version, ... */
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum;
	uint16_t e_shentsize, e_shnum, e_shstrndx;
};

#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFDATA2LSB 1 /* little-endian */
#define ET_EXEC 2
#define EM_386 3

/* A program header: one segment to load (PT_LOAD) or something else. */
struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr;
	uint32_t p_filesz, p_memsz, p_flags, p_align;
};

#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

/* A section header (the kernel reads its own symbol table with these). */
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
