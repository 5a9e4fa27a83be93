# mem-low: memory.low holds under pressure from another group. The VM has no swap, so
# reclaim can only take page cache: two groups read a 64M file each (on ext4 on a RAM disk,
# so that the pages are file-backed and reclaimable), the first with --mem-low 100M; a third
# group then needs 96M under their parent's memory.max of 192M. The protected group keeps
# its pages and the unprotected one loses them, although the protected one read first (LRU
# order would take its pages first). A control round without --mem-low shows the first
# reader losing pages too.
# vm-timeout: 150
. /tests/lib.sh

P=$CG/h-obs-low
M=/tmp/h-obs-low
kdir=/lib/modules/$(uname -r)/kernel
mods="crypto/crc32c_generic.ko lib/crc16.ko fs/mbcache.ko fs/jbd2/jbd2.ko fs/ext4/ext4.ko"
for m in drivers/block/brd.ko $mods; do
	[ -f "$kdir/$m" ] || { echo "SKIP: $kdir/$m is not in the image (the host has no modules for $(uname -r))"; exit 77; }
done
cleanup() {
	for n in prot plain hog c1 c2 chog; do remove_group "$P/$n" 2>/dev/null; done
	rmdir "$P" 2>/dev/null
	umount "$M" 2>/dev/null
	rmdir "$M" 2>/dev/null
}
trap 'cleanup; run_cleanup' EXIT

grep -q '^brd ' /proc/modules || insmod "$kdir/drivers/block/brd.ko" rd_nr=1 rd_size=262144 || bad "insmod brd"
for m in $mods; do
	name=${m##*/}
	grep -q "^${name%.ko} " /proc/modules || insmod "$kdir/$m" || bad "insmod $m"
done
mke2fs -q /dev/ram0 > /dev/null 2>&1 || mke2fs /dev/ram0 > /dev/null || bad "mke2fs /dev/ram0"
mkdir -p "$M" && mount -t ext4 /dev/ram0 "$M" || { bad "mount /dev/ram0"; finish; }
for f in a b; do dd if=/dev/zero of="$M/$f" bs=1M count=64 2>/dev/null || bad "write $M/$f"; done

mkdir "$P" && echo +memory > "$P/cgroup.subtree_control" && echo 192M > "$P/memory.max" || bad "make $P"
mib() { echo $(($(cat "$1/memory.current") >> 20)); }

# Reads a file into the page cache of a new kept group; the pages stay charged to it.
read_into() { # NAME FILE [LIMITS...]
	_n=$1 _f=$2
	shift 2
	umucg_run --base "$P" run --name "$_n" --keep "$@" -- cat "$M/$_f"
	[ "$RC" = 0 ] || bad "reading $_f in $_n: $RC"
}
round() { # PROTECTED-NAME OTHER HOG FILE1 FILE2 [LIMITS...]
	_a=$1 _b=$2 _h=$3 _f1=$4 _f2=$5
	shift 5
	sync
	echo 3 > /proc/sys/vm/drop_caches
	read_into "$_a" "$_f1" "$@"
	read_into "$_b" "$_f2"
	before_a=$(mib "$P/$_a") before_b=$(mib "$P/$_b")
	umucg_run --base "$P" run --name "$_h" -- memhog 96 1
	[ "$RC" = 0 ] || bad "the hog under memory.max 192M: $RC"
	after_a=$(mib "$P/$_a") after_b=$(mib "$P/$_b")
	note "$_a: ${before_a}M -> ${after_a}M, $_b: ${before_b}M -> ${after_b}M (low events of $_a: $(key "$P/$_a/memory.events" low))"
}
# The fs ignores cat's stdout here (umucg_run keeps it): 64M in a shell variable is fine
# in the VM, but keep it out of the log.
umucg_run() {
	umucg "$@" > /dev/null 2> "$TMPOUT.err"
	RC=$?
	ERR=$(cat "$TMPOUT.err")
	note "umucg $* -> $RC"
	[ -n "$ERR" ] && echo "$ERR" | sed 's/^/#   err: /'
	return 0
}

round prot plain hog a b --mem-low 100M
expect_eq "memory.low of the protected group" "$(cat "$P/prot/memory.low")" 104857600
expect_ge "the protected group had its file cached" "$before_a" 56
expect_ge "the unprotected group had its file cached" "$before_b" 56
expect_ge "the protected group kept its pages (MiB)" "$after_a" $((before_a - 8))
expect_ge "the unprotected group lost at least 24M (MiB lost)" $((before_b - after_b)) 24
expect_ge "protected minus unprotected (MiB)" $((after_a - after_b)) 16
prot_kept=$after_a

# Control: the same without memory.low (drop_caches took the pages of a and b from prot
# and plain, so c1 and c2 read them afresh); the first reader now loses pages too.
round c1 c2 chog a b
expect_ge "without memory.low the first reader loses pages (MiB lost)" $((before_a - after_a)) 8
expect_ge "memory.low made the difference for the first reader (MiB)" $((prot_kept - after_a)) 8

finish
