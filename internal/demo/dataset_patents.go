package demo

// patents is the demo portfolio, grouped by corporate group. Family keys
// read FAM-<group>-<serial>; a family's members share priority and title.
// Every owner is the applicant at filing: transfers within a group and the
// sales of 2017 are assignments, which come with the agreements.
var patents = []demoPatent{
	// Nokia Technologies Oy: cellular standard-essential patents filed
	// since 2014. Xiaomi's purchase of Nokia patents in July 2017 is drawn
	// from the ones marked "for sale", all granted or published by then.
	{Number: "WO 2015/193421 A1", Title: "Uplink power control for dual connectivity", Family: "FAM-NOK-0001", Owner: nokiaTech,
		Priority: "2014-06-18", Filed: "2015-06-16", Published: "2015-12-23", Status: pending,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2015, CPC: []string{"H04W 52/14", "H04W 52/36"}},
	{Number: "EP 3 158 812 B1", Title: "Uplink power control for dual connectivity", Family: "FAM-NOK-0001", Owner: nokiaTech,
		Priority: "2014-06-18", Filed: "2015-06-16", Published: "2017-04-26", Granted: "2019-02-13", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2015, CPC: []string{"H04W 52/14", "H04W 52/36"},
		States: []string{"DE", "FR", "GB", "NL", "FI"}},
	{Number: "US 9,668,203 B2", Title: "Uplink power control for dual connectivity", Family: "FAM-NOK-0001", Owner: nokiaTech, // for sale
		Priority: "2014-06-18", Filed: "2015-06-16", Published: "2015-12-24", Granted: "2017-05-30", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2015, CPC: []string{"H04W 52/14", "H04W 52/36"}},
	{Number: "CN 106465298 B", Title: "Uplink power control for dual connectivity", Family: "FAM-NOK-0001", Owner: nokiaTech, // for sale
		Priority: "2014-06-18", Filed: "2015-06-16", Published: "2017-02-22", Granted: "2020-03-10", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2015, CPC: []string{"H04W 52/14"}},

	{Number: "US 9,693,342 B2", Title: "Random access for narrowband internet-of-things devices", Family: "FAM-NOK-0002", Owner: nokiaTech, // for sale
		Priority: "2015-08-14", Filed: "2016-08-12", Published: "2017-02-16", Granted: "2017-06-27", Status: granted,
		Tags: []string{"cellular", "iot"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2016, CPC: []string{"H04W 74/08", "H04W 4/70"}},
	{Number: "EP 3 335 492 B1", Title: "Random access for narrowband internet-of-things devices", Family: "FAM-NOK-0002", Owner: nokiaTech,
		Priority: "2015-08-14", Filed: "2016-08-12", Published: "2018-06-20", Granted: "2021-01-06", Status: granted,
		Tags: []string{"cellular", "iot"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2016, CPC: []string{"H04W 74/08"}},
	{Number: "WO 2017/025932 A1", Title: "Random access for narrowband internet-of-things devices", Family: "FAM-NOK-0002", Owner: nokiaTech,
		Priority: "2015-08-14", Filed: "2016-08-12", Published: "2017-02-16", Status: pending,
		Tags: []string{"cellular", "iot"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2016, CPC: []string{"H04W 74/08"}},

	{Number: "US 9,572,063 B2", Title: "Discontinuous reception for machine-type communication", Family: "FAM-NOK-0003", Owner: nokiaTech, // for sale
		Priority: "2014-02-11", Filed: "2015-02-10", Published: "2015-08-13", Granted: "2017-02-14", Status: granted,
		Tags: []string{"cellular", "iot"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2015, CPC: []string{"H04W 76/28"}},
	{Number: "EP 3 100 511 B1", Title: "Semi-persistent scheduling with reduced signalling", Family: "FAM-NOK-0004", Owner: nokiaTech, // for sale
		Priority: "2014-01-29", Filed: "2015-01-28", Published: "2016-12-07", Granted: "2017-06-14", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2015, CPC: []string{"H04W 72/12"}},
	{Number: "CN 105850166 B", Title: "Buffer status reporting for carrier aggregation", Family: "FAM-NOK-0005", Owner: nokiaTech, // for sale
		Priority: "2014-12-15", Filed: "2014-12-15", Published: "2016-08-10", Granted: "2017-04-19", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2015, CPC: []string{"H04W 28/02"}},
	{Number: "US 9,491,678 B2", Title: "Handover between cells with carrier aggregation", Family: "FAM-NOK-0006", Owner: nokiaTech, // for sale
		Priority: "2014-09-03", Filed: "2014-09-03", Published: "2016-03-03", Granted: "2016-11-08", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2015, CPC: []string{"H04W 36/00"}},

	// 5G New Radio, still early in 2017: mostly applications.
	{Number: "EP 3 455 950 A1", Title: "Channel state information reporting for massive MIMO", Family: "FAM-NOK-0007", Owner: nokiaTech,
		Priority: "2016-05-13", Filed: "2017-05-12", Published: "2019-03-20", Status: pending,
		Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP NR"}, SEP: etsiNokia2017, CPC: []string{"H04B 7/06"}},
	{Number: "US 2017/0331577 A1", Title: "Channel state information reporting for massive MIMO", Family: "FAM-NOK-0007", Owner: nokiaTech,
		Priority: "2016-05-13", Filed: "2017-05-12", Published: "2017-11-16", Status: pending,
		Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP NR"}, SEP: etsiNokia2017, CPC: []string{"H04B 7/06"}},
	{Number: "CN 109417410 A", Title: "Beam management for millimetre-wave communication", Family: "FAM-NOK-0008", Owner: nokiaTech,
		Priority: "2016-07-01", Filed: "2017-06-28", Published: "2019-03-01", Status: pending,
		Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP NR"}, SEP: etsiNokia2017, CPC: []string{"H04B 7/0695"}},

	// Nokia Technologies beyond cellular: OZO virtual reality, video coding, AI.
	{Number: "US 9,986,363 B2", Title: "Spatial audio rendering for virtual reality content", Family: "FAM-NOK-0009", Owner: nokiaTech,
		Priority: "2016-03-10", Filed: "2016-03-10", Published: "2017-09-14", Granted: "2018-05-29", Status: granted,
		Tags: []string{"vr", "ar"}, CPC: []string{"H04S 7/303", "G06T 19/006"}},
	{Number: "EP 3 217 653 B1", Title: "Spatial audio rendering for virtual reality content", Family: "FAM-NOK-0009", Owner: nokiaTech,
		Priority: "2016-03-10", Filed: "2017-02-27", Published: "2017-09-13", Granted: "2020-04-29", Status: granted,
		Tags: []string{"vr", "ar"}, CPC: []string{"H04S 7/303"}, States: []string{"DE", "FR", "GB", "FI"}},
	{Number: "EP 3 058 734 B1", Title: "Inter-layer prediction for scalable video coding", Family: "FAM-NOK-0010", Owner: nokiaTech,
		Priority: "2013-10-15", Filed: "2014-10-14", Published: "2016-08-24", Granted: "2018-12-05", Status: granted,
		Tags: []string{"video-coding"}, Standards: []string{"HEVC"}, SEP: hevcNokia2014, CPC: []string{"H04N 19/30"},
		States: []string{"DE", "FR", "GB", "NL"}},
	{Number: "US 2017/0140253 A1", Title: "Detecting objects in images with a convolutional neural network", Family: "FAM-NOK-0011", Owner: nokiaTech,
		Priority: "2015-11-12", Filed: "2016-11-10", Published: "2017-05-18", Status: abandoned, StatusOn: "2019-08-20",
		Tags: []string{"ai"}, CPC: []string{"G06N 3/08", "G06V 10/82"}},

	// Nokia Corporation: older filings, from before patents went to Nokia
	// Technologies. Several have reached the end of their term.
	{Number: "EP 1 371 159 B1", Title: "Allocating radio resources in a cellular network", Family: "FAM-NOK-0101", Owner: nokia,
		Priority: "2001-03-15", Filed: "2002-03-14", Published: "2003-12-17", Granted: "2006-09-13", Status: expired, StatusOn: "2022-03-15",
		Tags: []string{"cellular"}, CPC: []string{"H04W 72/04"}, States: []string{"DE", "FR", "GB", "FI", "SE"}},
	{Number: "US 6,961,342 B2", Title: "Allocating radio resources in a cellular network", Family: "FAM-NOK-0101", Owner: nokia,
		// 200 days of patent term adjustment.
		Priority: "2001-03-15", Filed: "2002-03-14", Published: "2002-09-19", Granted: "2005-11-01", Expires: "2022-09-30",
		Status: expired, StatusOn: "2022-10-01", Tags: []string{"cellular"}, CPC: []string{"H04W 72/04"}},
	{Number: "US 7,245,914 B2", Title: "Mobile terminal with adaptive antenna selection", Family: "FAM-NOK-0102", Owner: nokia,
		// Still recorded as granted; its term ended on 2024-06-30.
		Priority: "2004-06-30", Filed: "2004-06-30", Published: "2006-01-05", Granted: "2007-07-17", Status: granted,
		Tags: []string{"cellular"}, CPC: []string{"H04B 7/0808"}},
	{Number: "EP 1 762 114 B1", Title: "Power saving in a wireless local area network station", Family: "FAM-NOK-0103", Owner: nokia,
		// Renewal fees not paid.
		Priority: "2004-05-13", Filed: "2005-05-10", Published: "2007-03-14", Granted: "2009-07-22", Status: lapsed, StatusOn: "2013-05-31",
		Tags: []string{"wifi"}, Standards: []string{"Wi-Fi"}, CPC: []string{"H04W 52/02"}, States: []string{"DE", "FR", "GB"}},
	{Number: "CN 101854520 B", Title: "Transmitting control information on a shared channel", Family: "FAM-NOK-0104", Owner: nokia,
		Priority: "2008-03-20", Filed: "2009-03-19", Published: "2010-10-06", Granted: "2013-11-20", Status: lapsed, StatusOn: "2018-03-19",
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2009, CPC: []string{"H04L 5/0053"}},
	{Number: "EP 2 266 243 B1", Title: "Transmitting control information on a shared channel", Family: "FAM-NOK-0104", Owner: nokia,
		Priority: "2008-03-20", Filed: "2009-03-19", Published: "2010-12-29", Granted: "2014-09-10", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2009, CPC: []string{"H04L 5/0053"}},
	{Number: "US 8,254,348 B2", Title: "Transmitting control information on a shared channel", Family: "FAM-NOK-0104", Owner: nokia,
		Priority: "2008-03-20", Filed: "2009-03-19", Published: "2009-09-24", Granted: "2012-08-28", Expires: "2030-01-04",
		Status: granted, Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNokia2009, CPC: []string{"H04L 5/0053"}},
	{Number: "EP 2 901 690 B1", Title: "Reference picture signalling in video coding", Family: "FAM-NOK-0201", Owner: nokia,
		Priority: "2012-09-28", Filed: "2013-09-26", Published: "2015-08-05", Granted: "2018-06-13", Status: granted,
		Tags: []string{"video-coding"}, Standards: []string{"HEVC"}, SEP: hevcNokia2014, CPC: []string{"H04N 19/70"},
		States: []string{"DE", "FR", "GB"}},
	{Number: "US 9,451,256 B2", Title: "Reference picture signalling in video coding", Family: "FAM-NOK-0201", Owner: nokia,
		Priority: "2012-09-28", Filed: "2013-09-26", Published: "2014-04-03", Granted: "2016-09-20", Status: granted,
		Tags: []string{"video-coding"}, Standards: []string{"HEVC"}, SEP: hevcNokia2014, CPC: []string{"H04N 19/70"}},
	{Number: "CN 104685888 B", Title: "Reference picture signalling in video coding", Family: "FAM-NOK-0201", Owner: nokia,
		Priority: "2012-09-28", Filed: "2013-09-26", Published: "2015-06-03", Granted: "2018-07-27", Status: granted,
		Tags: []string{"video-coding"}, Standards: []string{"HEVC"}, SEP: hevcNokia2014, CPC: []string{"H04N 19/70"}},

	// Nokia Solutions and Networks Oy: network side, with German roots.
	{Number: "DE 10 2015 104 567 B4", Title: "Load balancing in a self-organising radio network", Family: "FAM-NOK-0301", Owner: nokiaNetworks,
		Priority: "2015-03-25", Filed: "2015-03-25", Published: "2017-11-02", Granted: "2017-11-02", Status: granted,
		Tags: []string{"cellular"}, CPC: []string{"H04W 28/08"}},
	{Number: "EP 3 275 237 B1", Title: "Load balancing in a self-organising radio network", Family: "FAM-NOK-0301", Owner: nokiaNetworks,
		Priority: "2015-03-25", Filed: "2016-03-22", Published: "2018-01-31", Granted: "2020-07-15", Status: granted,
		Tags: []string{"cellular"}, CPC: []string{"H04W 28/08"}, States: []string{"DE", "FR", "GB", "FI", "IT", "ES"}},
	{Number: "WO 2017/194128 A1", Title: "Grant-free uplink transmission in new radio", Family: "FAM-NOK-0302", Owner: nokiaNetworks,
		Priority: "2016-05-11", Filed: "2017-05-08", Published: "2017-11-16", Status: pending,
		Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP NR"}, SEP: etsiNSN2017, CPC: []string{"H04W 72/0413"}},
	{Number: "US 9,883,518 B2", Title: "Handling radio link failure during handover", Family: "FAM-NOK-0303", Owner: nokiaNetworks,
		Priority: "2015-07-31", Filed: "2015-07-31", Published: "2017-02-02", Granted: "2018-01-30", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiNSN2017, CPC: []string{"H04W 36/30"}},

	// Alcatel Lucent, in the Nokia group since January 2016.
	{Number: "EP 2 451 214 B1", Title: "Interference coordination in heterogeneous networks", Family: "FAM-ALU-0001", Owner: alcatelLucent,
		Priority: "2010-11-08", Filed: "2010-11-08", Published: "2012-05-09", Granted: "2014-07-16", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiAlcatel2012, CPC: []string{"H04W 72/082"},
		States: []string{"DE", "FR", "GB", "IT", "ES"}},

	// Xiaomi: smart home and IoT first, cellular declared in 2017.
	{Number: "CN 105093948 B", Title: "Controlling a smart home device from a mobile terminal", Family: "FAM-XMI-0001", Owner: xiaomiMobile,
		Priority: "2015-07-16", Filed: "2015-07-16", Published: "2015-11-25", Granted: "2018-03-02", Status: granted,
		Tags: []string{"smart-home", "iot"}, CPC: []string{"G05B 15/02", "H04L 12/2803"}},
	{Number: "WO 2017/008476 A1", Title: "Controlling a smart home device from a mobile terminal", Family: "FAM-XMI-0001", Owner: xiaomiMobile,
		Priority: "2015-07-16", Filed: "2015-12-17", Published: "2017-01-19", Status: pending,
		Tags: []string{"smart-home", "iot"}, CPC: []string{"G05B 15/02"}},
	{Number: "US 10,193,345 B2", Title: "Controlling a smart home device from a mobile terminal", Family: "FAM-XMI-0001", Owner: xiaomiMobile,
		Priority: "2015-07-16", Filed: "2016-03-22", Published: "2017-01-19", Granted: "2019-01-29", Status: granted,
		Tags: []string{"smart-home", "iot"}, CPC: []string{"G05B 15/02", "H04L 12/2803"}},
	{Number: "EP 3 119 039 B1", Title: "Controlling a smart home device from a mobile terminal", Family: "FAM-XMI-0001", Owner: xiaomiMobile,
		Priority: "2015-07-16", Filed: "2016-03-29", Published: "2017-01-18", Granted: "2019-09-11", Status: granted,
		Tags: []string{"smart-home", "iot"}, CPC: []string{"G05B 15/02"}, States: []string{"DE", "FR", "GB"}},

	{Number: "CN 104821925 B", Title: "Provisioning an IoT device onto a Wi-Fi network", Family: "FAM-XMI-0002", Owner: xiaomiMobile,
		Priority: "2015-04-20", Filed: "2015-04-20", Published: "2015-08-05", Granted: "2018-09-14", Status: granted,
		Tags: []string{"iot", "wifi", "smart-home"}, Standards: []string{"Wi-Fi"}, CPC: []string{"H04W 12/06", "H04W 84/12"}},

	{Number: "CN 106792893 B", Title: "Cell access for terminals with limited bandwidth", Family: "FAM-XMI-0003", Owner: xiaomiMobile,
		Priority: "2016-12-19", Filed: "2016-12-19", Published: "2017-05-31", Granted: "2020-01-07", Status: granted,
		Tags: []string{"cellular", "iot"}, Standards: []string{"3GPP LTE"}, SEP: etsiXiaomi2017, CPC: []string{"H04W 48/16"}},
	{Number: "US 10,455,446 B2", Title: "Cell access for terminals with limited bandwidth", Family: "FAM-XMI-0003", Owner: xiaomiMobile,
		Priority: "2016-12-19", Filed: "2017-08-30", Published: "2018-06-21", Granted: "2019-10-22", Status: granted,
		Tags: []string{"cellular", "iot"}, Standards: []string{"3GPP LTE"}, SEP: etsiXiaomi2017, CPC: []string{"H04W 48/16"}},
	{Number: "EP 3 337 255 A1", Title: "Cell access for terminals with limited bandwidth", Family: "FAM-XMI-0003", Owner: xiaomiMobile,
		Priority: "2016-12-19", Filed: "2017-09-12", Published: "2018-06-20", Status: pending,
		Tags: []string{"cellular", "iot"}, Standards: []string{"3GPP LTE"}, SEP: etsiXiaomi2017, CPC: []string{"H04W 48/16"}},

	{Number: "CN 106980368 A", Title: "Displaying virtual objects over a camera preview", Family: "FAM-XMI-0004", Owner: xiaomiMobile,
		Priority: "2017-02-28", Filed: "2017-02-28", Published: "2017-07-25", Status: pending,
		Tags: []string{"ar"}, CPC: []string{"G06T 19/006"}},
	{Number: "WO 2018/129547 A1", Title: "Bandwidth part switching in new radio", Family: "FAM-XMI-0007", Owner: xiaomiComms,
		Priority: "2017-01-09", Filed: "2017-01-09", Published: "2018-07-12", Status: pending,
		Tags: []string{"cellular", "5g"}, Standards: []string{"3GPP NR"}, SEP: etsiXiaomi2017, CPC: []string{"H04W 72/04"}},
	{Number: "EP 3 062 463 B1", Title: "Adjusting a smart light to ambient light", Family: "FAM-XMI-0008", Owner: xiaomi,
		// Renewal fees not paid.
		Priority: "2015-02-27", Filed: "2015-12-09", Published: "2016-08-31", Granted: "2018-02-14", Status: lapsed, StatusOn: "2020-12-31",
		Tags: []string{"smart-home", "lighting"}, CPC: []string{"H05B 47/11"}, States: []string{"DE", "FR", "GB", "ES"}},

	// Signify, formerly Philips Lighting, and Philips before it.
	{Number: "EP 1 338 171 B1", Title: "Controlling the colour of an LED lighting system", Family: "FAM-PHL-0001", Owner: philips,
		Priority: "2000-11-29", Filed: "2001-11-21", Published: "2003-08-27", Granted: "2005-06-01", Status: expired, StatusOn: "2021-11-22",
		Tags: []string{"lighting"}, CPC: []string{"H05B 45/20"}, States: []string{"DE", "FR", "GB", "NL", "IT"}},
	{Number: "US 7,369,060 B2", Title: "Networked control of LED luminaires", Family: "FAM-PHL-0002", Owner: philips,
		Priority: "2004-12-14", Filed: "2005-12-13", Published: "2006-06-15", Granted: "2008-05-06", Expires: "2026-07-02",
		Status: granted, Tags: []string{"lighting"}, CPC: []string{"H05B 47/18"}},
	{Number: "EP 2 737 775 B1", Title: "Presence detection with luminaire sensors", Family: "FAM-PHL-0003", Owner: philips,
		Priority: "2011-07-26", Filed: "2012-07-20", Published: "2014-06-04", Granted: "2016-11-30", Status: granted,
		Tags: []string{"lighting", "smart-home"}, CPC: []string{"H05B 47/115"}},
	{Number: "EP 3 332 612 B1", Title: "Commissioning lighting devices in a Zigbee network", Family: "FAM-SIG-0001", Owner: signifyHolding,
		Priority: "2015-08-05", Filed: "2016-07-28", Published: "2018-06-13", Granted: "2019-03-20", Status: granted,
		Tags: []string{"lighting", "smart-home", "iot"}, Standards: []string{"Zigbee"}, CPC: []string{"H05B 47/19", "H04W 4/80"},
		States: []string{"DE", "FR", "GB", "NL"}},
	{Number: "US 10,201,510 B2", Title: "Commissioning lighting devices in a Zigbee network", Family: "FAM-SIG-0001", Owner: signifyHolding,
		Priority: "2015-08-05", Filed: "2016-07-28", Published: "2018-08-23", Granted: "2019-02-05", Status: granted,
		Tags: []string{"lighting", "smart-home", "iot"}, Standards: []string{"Zigbee"}, CPC: []string{"H05B 47/19"}},
	{Number: "CN 107926103 B", Title: "Commissioning lighting devices in a Zigbee network", Family: "FAM-SIG-0001", Owner: signifyHolding,
		Priority: "2015-08-05", Filed: "2016-07-28", Published: "2018-04-17", Granted: "2020-06-02", Status: granted,
		Tags: []string{"lighting", "smart-home", "iot"}, Standards: []string{"Zigbee"}, CPC: []string{"H05B 47/19"}},
	{Number: "WO 2017/021167 A1", Title: "Commissioning lighting devices in a Zigbee network", Family: "FAM-SIG-0001", Owner: signifyHolding,
		Priority: "2015-08-05", Filed: "2016-07-28", Published: "2017-02-09", Status: pending,
		Tags: []string{"lighting", "smart-home", "iot"}, Standards: []string{"Zigbee"}, CPC: []string{"H05B 47/19"}},
	{Number: "US 2018/0054876 A1", Title: "Presence sensing from Wi-Fi signals between luminaires", Family: "FAM-SIG-0002", Owner: signifyHolding,
		Priority: "2016-08-18", Filed: "2017-08-16", Published: "2018-02-22", Status: pending,
		Tags: []string{"lighting", "wifi"}, Standards: []string{"Wi-Fi"}, CPC: []string{"H05B 47/115", "G01S 13/56"}},

	// Inter IKEA Systems: the connected home, in time for TRÅDFRI (2017).
	{Number: "WO 2017/207016 A1", Title: "Wireless control of a motorised window blind", Family: "FAM-IKEA-0001", Owner: ikea,
		Priority: "2016-05-30", Filed: "2016-05-30", Published: "2017-12-07", Status: pending,
		Tags: []string{"smart-home"}, Standards: []string{"Zigbee"}, CPC: []string{"E06B 9/68", "H04L 12/2803"}},
	{Number: "EP 3 465 647 A1", Title: "Wireless control of a motorised window blind", Family: "FAM-IKEA-0001", Owner: ikea,
		Priority: "2016-05-30", Filed: "2017-05-29", Published: "2019-04-10", Status: pending,
		Tags: []string{"smart-home"}, Standards: []string{"Zigbee"}, CPC: []string{"E06B 9/68"}},
	{Number: "US 10,405,127 B2", Title: "Wireless control of a motorised window blind", Family: "FAM-IKEA-0001", Owner: ikea,
		Priority: "2016-05-30", Filed: "2017-05-29", Published: "2017-11-30", Granted: "2019-09-03", Status: granted,
		Tags: []string{"smart-home"}, Standards: []string{"Zigbee"}, CPC: []string{"E06B 9/68"}},
	{Number: "EP 3 292 744 B1", Title: "Pairing a battery-powered remote control with a lighting gateway", Family: "FAM-IKEA-0002", Owner: ikea,
		Priority: "2015-05-06", Filed: "2016-05-04", Published: "2018-03-14", Granted: "2019-07-31", Status: granted,
		Tags: []string{"smart-home", "lighting"}, Standards: []string{"Zigbee"}, CPC: []string{"H05B 47/19"}},

	// Apple.
	{Number: "US 9,603,171 B2", Title: "Power-efficient connected-mode discontinuous reception", Family: "FAM-APL-0001", Owner: apple,
		Priority: "2014-09-26", Filed: "2015-09-25", Published: "2016-03-31", Granted: "2017-03-21", Status: granted,
		Tags: []string{"cellular"}, Standards: []string{"3GPP LTE"}, SEP: etsiApple2016, CPC: []string{"H04W 76/28"}},
	{Number: "US 9,824,499 B2", Title: "Mixed-reality image capture on a head-mounted display", Family: "FAM-APL-0002", Owner: apple,
		Priority: "2015-06-23", Filed: "2016-06-22", Published: "2016-12-29", Granted: "2017-11-21", Status: granted,
		Tags: []string{"ar", "vr"}, CPC: []string{"G06T 19/006", "G02B 27/017"}},
	{Number: "EP 3 152 960 B1", Title: "Roaming between Wi-Fi access points without interruption", Family: "FAM-APL-0003", Owner: apple,
		Priority: "2014-06-02", Filed: "2015-05-29", Published: "2017-04-12", Granted: "2019-08-28", Status: granted,
		Tags: []string{"wifi"}, Standards: []string{"Wi-Fi"}, CPC: []string{"H04W 36/08"}},

	// HMD Global, founded in 2016, with one application.
	{Number: "EP 3 603 054 A1", Title: "Simultaneous capture with front and rear cameras", Family: "FAM-HMD-0001", Owner: hmd,
		Priority: "2017-03-28", Filed: "2017-03-28", Published: "2020-02-05", Status: pending,
		CPC: []string{"H04N 23/45"}},
}
