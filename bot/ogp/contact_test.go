package ogp

import "testing"

func TestRemoveContacts(t *testing.T) {
	const gone = "[contact details removed]"
	tests := []struct {
		name, in, marker, want string
		emails, phones         int
	}{
		// Shapes from the sample's cells.
		{"EmailAndPhone", "Email and Phone Doreen.grove@gov.scot 07767343230 Leads: Scottish Exchequer", gone,
			"Email and Phone " + gone + " Leads: Scottish Exchequer", 1, 1},
		{"InternationalNumbers", "Vice Governor +639209622158 +6383-2283448 Technical Focal Person", gone,
			"Vice Governor " + gone + " Technical Focal Person", 0, 2},
		{"DashBeforeNumber", "Martiniano Magdolot - +639173059060 Jobe Tubigon", gone, "Martiniano Magdolot " + gone + " Jobe Tubigon", 0, 1},
		{"SpacedInternational", "Email and Phone\ta.bekmatov@mail.ru \nbekmatov@shailoo.gov.kg \n+996 312 66-48-62 \nOther Actors", gone,
			"Email and Phone " + gone + "\nOther Actors", 2, 1},
		{"AreaCodeInBrackets", "E-mail antonio.silvaneto@camara.leg.br\n cooperacao.dg@camara.leg.br\n Telephone (61) 3216-2010/2045\n Other involved actors", gone,
			"E-mail " + gone + "\n Telephone " + gone + "\n Other involved actors", 2, 1},
		{"OCRNoiseWithoutMarker", "(Co-Chair TWO) ummaliikirina@gmail.com — 0803702'1491/ yusufnal©yahoo.com - 08035610827 Musa Kakaki (rnhkakaki@yahoo.com, 08023738199 \nAttorney General", "",
			"(Co-Chair TWO) Musa Kakaki\nAttorney General", 3, 3},
		{"NameInBrackets", "Cat Macaulay (Catriona.Macaulay@gov.scot) and her team", "", "Cat Macaulay and her team", 1, 0},
		{"LabelGoesWithoutMarker", "Civil Society Network - Tel. 0981 123 456\nOpen Data Lab, E-mail and phone: lab@example.org", "",
			"Civil Society Network\nOpen Data Lab", 1, 1},
		// Other ways of writing them.
		{"AtSpelledOut", "write to info [at] example.org or to jo(at)example.org.", gone, "write to " + gone + " or to " + gone + ".", 2, 0},
		{"PhoneKeyword", "Tel.: 555 123 4567, teléfono 2222-3333; Fax: (02) 555 1234", gone, "Tel. " + gone + ", teléfono " + gone + "; Fax " + gone, 0, 3},
		{"AccentedLocalPart", "Contacto: josé.pérez@gobierno.gob.py", gone, "Contacto " + gone, 1, 0},
		// Numbers that are not contact details stay.
		{"Dates", "01/01/2024 | 01/06/2024 15.03.2019 - 30.04.2019 10/01/2018 \n 02/28/2019 2017-2022 September 01, 2018 - August 31, 2020", gone,
			"01/01/2024 | 01/06/2024 15.03.2019 - 30.04.2019 10/01/2018 \n 02/28/2019 2017-2022 September 01, 2018 - August 31, 2020", 0, 0},
		{"Amounts", "up to BGN 60,000; 969,599 people; Ley 27.275; Act nº 95/2998; 4 million euros; 19.8% in 2015", gone,
			"up to BGN 60,000; 969,599 people; Ley 27.275; Act nº 95/2998; 4 million euros; 19.8% in 2015", 0, 0},
		{"Links", "https://www.opengovpartnership.org/documents/jalisco-mexico-action-plan-2019-2021/ and www.matsne.gov.ge", gone,
			"https://www.opengovpartnership.org/documents/jalisco-mexico-action-plan-2019-2021/ and www.matsne.gov.ge", 0, 0},
		{"PhoneKeywordBeforeDate", "Phone survey 12/31/2019", gone, "Phone survey 12/31/2019", 0, 0},
		{"Copyright", "© 2019 Government of Georgia", gone, "© 2019 Government of Georgia", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := removeContacts(tt.in, tt.marker)
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if n.emails != tt.emails || n.phones != tt.phones {
				t.Errorf("removed %d e-mail addresses and %d phone numbers, want %d and %d", n.emails, n.phones, tt.emails, tt.phones)
			}
		})
	}
}

func TestContactCount_String(t *testing.T) {
	tests := []struct {
		n    contactCount
		want string
	}{
		{contactCount{emails: 1}, "1 e-mail address"},
		{contactCount{phones: 2}, "2 phone numbers"},
		{contactCount{emails: 9, phones: 1}, "9 e-mail addresses and 1 phone number"},
	}
	for _, tt := range tests {
		if got := tt.n.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
