package strace

// Oracle workload of the V4L2 and console ioctls, and of struct termios
// (sys_ioctl_v4l2*.go, sys_ioctl_kd*.go): real calls on descriptors that
// fail them (-1, /dev/null), and their lines asserted one by one
// (workload.exact). Nothing behind a pointer inside a struct (a window's
// clips, a font's data), which eproc does not capture.

func init() {
	workloads = append(workloads, workload{
		name: "ioctls-v4l2-kd", setup: ccWorkload("ioctlsv4l2kd", ioctlsV4l2KdC),
		exact: []string{"ioctl"},
	})
}

// ioctlsV4l2KdC makes V4L2 requests (a format of each kind strace prints,
// controls, buffers, a tuner) and console ones (tones, modes, key map
// entries and strings, accent tables, a colour map at a page's end, so
// that the byte strace reads past -s is missing) with bad descriptors.
const ioctlsV4l2KdC = `#include <fcntl.h>
#include <linux/kd.h>
#include <linux/keyboard.h>
#include <linux/videodev2.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
	struct v4l2_format f;
	struct v4l2_control ctl = {V4L2_CID_BRIGHTNESS, -3};
	struct v4l2_requestbuffers rb = {4, V4L2_BUF_TYPE_VIDEO_CAPTURE, V4L2_MEMORY_MMAP};
	struct v4l2_buffer buf;
	struct v4l2_tuner tu;
	struct v4l2_queryctrl qc;
	struct v4l2_ext_controls ec;
	struct kbentry ke = {K_SHIFTTAB, 30, K(KT_LATIN, 'a')};
	struct kbsentry ks = {1, "hello"};
	struct kbdiacrs kd;
	int type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
	int fd = open("/dev/null", O_RDONLY);
	char *page = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&f, 0, sizeof(f));
	f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	f.fmt.pix.width = 640;
	f.fmt.pix.height = 480;
	f.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
	f.fmt.pix.field = V4L2_FIELD_NONE;
	ioctl(-1, VIDIOC_S_FMT, &f);
	ioctl(fd, VIDIOC_TRY_FMT, &f);
	ioctl(-1, VIDIOC_G_FMT, &f);
	f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
	f.fmt.pix_mp.num_planes = 2;
	ioctl(-1, VIDIOC_S_FMT, &f);
	f.type = V4L2_BUF_TYPE_SDR_CAPTURE;
	ioctl(-1, VIDIOC_S_FMT, &f);
	ioctl(-1, VIDIOC_S_CTRL, &ctl);
	ioctl(-1, VIDIOC_G_CTRL, &ctl);
	ioctl(-1, VIDIOC_REQBUFS, &rb);
	memset(&buf, 0, sizeof(buf));
	buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	buf.index = 3;
	ioctl(-1, VIDIOC_QBUF, &buf);
	ioctl(-1, VIDIOC_DQBUF, &buf);
	ioctl(-1, VIDIOC_STREAMON, &type);
	memset(&tu, 0, sizeof(tu));
	strcpy((char *) tu.name, "tuner");
	ioctl(-1, VIDIOC_S_TUNER, &tu);
	memset(&qc, 0, sizeof(qc));
	qc.id = V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CID_CONTRAST;
	ioctl(-1, VIDIOC_QUERYCTRL, &qc);
	memset(&ec, 0, sizeof(ec));
	ec.ctrl_class = V4L2_CTRL_CLASS_USER;
	ioctl(-1, VIDIOC_S_EXT_CTRLS, &ec);
	ioctl(-1, VIDIOC_QUERYCAP, 0);
	ioctl(-1, KIOCSOUND, 440);
	ioctl(-1, KDMKTONE, (100 << 16) | 1000);
	ioctl(-1, KDSETMODE, KD_GRAPHICS);
	ioctl(-1, KDSKBMODE, K_UNICODE);
	ioctl(-1, KDSETLED, LED_CAP | LED_NUM);
	ioctl(-1, KDSKBENT, &ke);
	ioctl(-1, KDGKBENT, &ke);
	ioctl(-1, KDSKBSENT, &ks);
	memset(&kd, 0, sizeof(kd));
	kd.kb_cnt = 2;
	kd.kbdiacr[0].diacr = '^';
	kd.kbdiacr[0].base = 'a';
	kd.kbdiacr[0].result = 0xe2;
	ioctl(-1, KDSKBDIACR, &kd);
	memset(page + 4096 - 32, 0x41, 32);
	munmap(page + 4096, 4096);
	ioctl(-1, PIO_CMAP, page + 4096 - 32);
	ioctl(-1, PIO_CMAP, page + 4096 - 48);
	ioctl(-1, KDSIGACCEPT, 34);
	ioctl(fd, KDENABIO);
	return 0;
}
`
