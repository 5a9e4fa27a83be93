# vm-timeout: 120
g=/sys/fs/cgroup/calib; mkdir $g
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
for spec in "16M 20" "16M 24" "16M 32" "32M 48"; do
set -- $spec
echo $1 > $g/memory.high
t=$(cut -d' ' -f1 /proc/uptime)
sh -c "echo 0 > $g/cgroup.procs; exec timeout 30 memhog $2"; rc=$?
echo "high=$1 hog=$2 rc=$rc took $(awk "BEGIN{print $(cut -d' ' -f1 /proc/uptime) - $t}") events: $(tr '\n' ' ' < $g/memory.events) peak=$(cat $g/memory.peak 2>/dev/null)"
done
rmdir $g
