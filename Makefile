# SPDX-License-Identifier: GPL-2.0
#
# pgmirror: out-of-tree build and test entry points.  The Kbuild file next to
# this one serves both this M= build and the in-tree (KUnit) build.
#
#   make [module]        build module/pgmirror.ko against $(KDIR) (W=1 passes through)
#   make clean           remove build products
#   make install         modules_install + depmod
#   make dkms-install    install the sources under /usr/src and build with DKMS [KVER=]
#   make deps            apt-get what the build and tests need (Debian)
#   make kunit           KUnit suites in UML, from the linux-source-6.12 tree
#   make soak            pgmirror_model: 200 seeds of 50000 operations (10^7),
#                        pgmirror_fuzz from seeds CI does not run, and the
#                        differential's random mixes over 50 seeds (x86_64)
#   make vmtest          selftests in Debian's 6.12 kernel under QEMU (TCG)
#   make demo            an annotated debugfs session in the same VM
#   make bench           pgmirror vs host alloc_pages, orders 0 1 3 9, VM, UML, x86
#   make style           checkpatch and kerneldoc
#   make checkpatch      checkpatch --strict on module/ and kunit/
#   make kerneldoc       kernel-doc -Wall on module/ and kunit/; every external
#                        function documented
#   make mapcheck        the function map in Documentation/design.rst, checked
#   make check           deps, style, mapcheck, both KUnit runs, vmtest and
#                        the pictures, as CI runs it (not soak, demo or bench)

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(shell ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | sort -V | tail -n 1))
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(CURDIR)/dkms.conf)
DESTDIR ?=
DKMS_DIR := $(DESTDIR)/usr/src/pgmirror-$(VERSION)
DKMS_FILES := Kbuild Kconfig Makefile dkms.conf module kunit

KBUILD_ARGS := $(if $(W),W=$(W)) $(if $(V),V=$(V))
# dkms-install targets the running kernel unless KVER= names another
DKMS_KVER := $(if $(KVER),-k $(KVER))

all: module

module:
	@test -d "$(KDIR)" || { echo "no kernel build tree (KDIR=$(KDIR)); try: make deps" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_ARGS) modules

clean:
	@if test -d "$(KDIR)"; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -f module/pgmirror.ko

install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)

dkms-install:
	@command -v dkms >/dev/null || { echo "dkms not installed (apt-get install dkms)" >&2; exit 1; }
	-dkms remove -m pgmirror -v $(VERSION) --all 2>/dev/null
	rm -rf $(DKMS_DIR)
	mkdir -p $(DKMS_DIR)
	cp -a $(addprefix $(CURDIR)/,$(DKMS_FILES)) $(DKMS_DIR)/
	dkms add -m pgmirror -v $(VERSION)
	dkms build -m pgmirror -v $(VERSION) $(DKMS_KVER)
	dkms install -m pgmirror -v $(VERSION) $(DKMS_KVER)

deps:
	@scripts/deps.sh

kunit:
	@scripts/kunit.sh

soak:
	@SEEDS=$(or $(SEEDS),200) FUZZ_SEED=$(or $(FUZZ_SEED),5) \
		DIFF_SEED=$(or $(DIFF_SEED),1) DIFF_SEEDS=$(or $(DIFF_SEEDS),50) \
		scripts/soak.sh

vmtest:
	@scripts/vmtest.sh

demo:
	@scripts/demo.sh

bench:
	@scripts/bench.sh

style: checkpatch kerneldoc

checkpatch:
	@scripts/checkpatch.sh

kerneldoc:
	@scripts/kerneldoc.sh

mapcheck:
	@scripts/mapcheck.sh

check:
	@scripts/check.sh

.PHONY: all module clean install dkms-install deps kunit soak mapcheck vmtest demo bench style checkpatch kerneldoc check
