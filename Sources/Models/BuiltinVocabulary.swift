/// A small WordPiece vocabulary built into mtl, for the random-weight tiny models when no
/// pretrained `vocab.txt` is on the machine.
///
/// 1,341 tokens: the special tokens (`[PAD]` first, so its id 0 matches `pad_token_id`),
/// the printable ASCII characters without capitals (the models are uncased), each of them as
/// a `##` continuation, the 1,000 most frequent whole words and the 200 most frequent `##`
/// suffixes of the bert-base-uncased vocabulary. Any lower-cased ASCII text tokenizes with it
/// (in the worst case character by character), so nothing maps to `[UNK]` needlessly.
///
/// Recipe (Python 3, stdlib; bert-base-uncased's vocab.txt lists words by frequency from
/// line 1997 on):
/// ```
/// vocab = open("vocab.txt", encoding="utf-8").read().split("\n")
/// chars = [chr(c) for c in range(33, 127) if not "A" <= chr(c) <= "Z"]
/// words = [t for t in vocab[1996:] if re.fullmatch(r"[a-z]{2,}", t)][:1000]
/// suffixes = [t for t in vocab[1996:] if re.fullmatch(r"##[a-z]{2,}", t)][:200]
/// tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars + ["##" + c for c in chars] + words + suffixes
/// ```
public enum BuiltinVocabulary {
    /// The tokens in id order (id = index).
    public static let tokens: [String] = table.split(whereSeparator: \.isWhitespace).map(String.init)

    // Kept as text rather than an array literal: a 1,341-element literal is slow to type-check.
    private static let table = ##"""
[PAD] [UNK] [CLS] [SEP] [MASK]
! " # $ % & ' ( ) * + , - . / 0 1 2 3 4 5 6 7 8 9 : ; < = > ? @ [ \ ] ^ _ ` a b c d e f g h i j
k l m n o p q r s t u v w x y z { | } ~
##! ##" ### ##$ ##% ##& ##' ##( ##) ##* ##+ ##, ##- ##. ##/ ##0 ##1 ##2 ##3 ##4 ##5 ##6 ##7 ##8
##9 ##: ##; ##< ##= ##> ##? ##@ ##[ ##\ ##] ##^ ##_ ##` ##a ##b ##c ##d ##e ##f ##g ##h ##i ##j
##k ##l ##m ##n ##o ##p ##q ##r ##s ##t ##u ##v ##w ##x ##y ##z ##{ ##| ##} ##~
the of and in to was he is as for on with that it his by at from her she you had an were but be
this are not my they one which or have him me first all also their has up who out been when
after there into new two its time would no what about said we over then other so more can if
like back them only some could where just during before do made school through than now years
most world may between down well three year while will later city under around did such being
used state people part know against your many second university both national these don known
off way until re how even get head didn team american because de born united film since still
long work south us became any high again day family see right man eyes house season war states
including took life north same each called name much place however go four group another found
won area here going away series left home music best make hand number company several never last
john very album take end good too following released game played little began district old want
those side held own early county ll league use west face think government march came small
general town june line based something september thought looked along international air july
club went january october our august april york few east show member college father public come
men five set station church next former november room party located december age got system let
love though every look song water century without body black night within great women single ve
building large population river named band white started once should service top built british
open death king moved local times children february book why door need president order final
road wasn although due major died village third knew asked turned st wanted say together
received main son served different behind himself felt members power football law voice play
near park history having saw mother army point front help english street art late hands games
award young put published country division across told often ever french london center six red
led days include light find tell among species really according central half form original gave
office making enough lost full opened must included live given german player run business woman
community cup might million land court development short round ii km seen class story always
become sure research almost director council la career things using island couldn car close
force better free support control field students education married nothing worked others record
big inside level anything continued give james military established non returned feel does title
written thing feet william far co association hard already championship human western department
hall role various production heart living fire version television royal produced working act
case society region present radio period looking least total keep england wife program per
brother mind special am works soon political george services taken created further able reached
david union joined upon done important social information either appeared position ground lead
rock dark election board france hair course arms site police girl instead real sound words
moment someone summer project announced san less wrote past followed blue founded al finally
india taking records america design considered northern god stop battle toward european outside
described track today playing language call heard professional low australia miles california
win yet green trying blood southern science maybe everything match square mouth video race
recorded leave above daughter points space museum change middle common move tv post lake seven
tried elected closed ten paul minister months start chief return canada person sea release
similar modern brought rest hit formed mr floor event doing thomas robert care killed training
star week needed turn finished railway rather news health sent example ran term michael coming
currently yes forces despite gold areas stage fact dead says popular originally germany probably
developed result pulled friend stood money running mi signed word songs child eventually met
tour average teams minutes festival current deep kind decided usually eastern seemed episode bed
added table indian private charles route available idea throughout centre addition appointed
style books eight construction press mean wall friends remained schools study institute oh
chinese sometimes events possible australian type brown forward talk process food debut seat
performance committee features character arts herself else lot strong russian range hours peter
arm morning dr sold quickly directed guitar china list performed media uk players smile myself
placed coach province towards wouldn leading whole boy official designed grand census europe
attack japanese henry cross getting alone action lower network wide washington japan hospital
believe changed sister hold gone sir hadn ship studies academy shot rights below base bad
involved kept largest bank future especially beginning mark movement section female magazine
plan professor lord longer sat walked hill actually civil energy model families size thus
aircraft completed includes data captain fight vocals featured richard bridge fourth officer
stone hear means medical groups management self lips competition entire lived technology leaving
federal tournament bit passed hot independent awards kingdom mary spent fine doesn reported jack
fall raised itself stay true studio sports replaced paris systems saint leader theatre whose
market capital parents spanish canadian earth cut degree writing bay christian awarded natural
higher bill coast provided previous senior ft valley organization stopped onto countries parts
conference queen security interest saying allowed master earlier phone matter smith winning try
happened moving campaign los breath nearly mid certain girls date italian african standing fell
artist shows deal mine industry everyone republic provide collection library student primary
owned older via heavy makes attention anyone africa stated length ended fingers command staff
skin foreign opening governor okay medal kill sun cover job introduced chest hell feeling
success meet reason standard meeting novel trade source buildings rose guy goal chapter native
husband previously unit limited entered weeks producer operations mountain takes covered forced
related roman complete successful key texas
##ing ##ed ##er ##ly ##es ##on ##us ##an ##en ##in ##man ##al ##ia ##is ##ra ##na ##ers ##le
##ic ##te ##ne ##ie ##ton ##ta ##th ##la ##ness ##ch ##um ##da ##ry ##ma ##rs ##el ##re ##os
##ar ##ka ##ist ##ian ##or ##ism ##ling ##ity ##as ##ley ##ted ##ng ##ville ##able ##ri ##ies
##land ##ur ##ya ##ine ##de ##ki ##ts ##ro ##less ##ey ##ion ##ha ##am ##ter ##ge ##ll ##se ##st
##ation ##nt ##son ##et ##ce ##to ##ting ##ble ##ke ##ni ##tion ##ham ##ive ##do ##ca ##men
##ized ##ous ##va ##id ##co ##ck ##ns ##no ##ga ##li ##ment ##ba ##ner ##ko ##ate ##io ##wood
##led ##ty ##ve ##sa ##by ##ier ##ti ##field ##ford ##ja ##ler ##ally ##ina ##ization ##ful ##go
##il ##at ##hi ##berg ##der ##sh ##rd ##lin ##lo ##ot ##za ##me ##ius ##line ##den ##it ##wa
##ad ##ite ##que ##ard ##les ##ff ##tor ##age ##di ##ir ##mi ##est ##ria ##ze ##well ##ated ##ee
##ah ##ji ##ov ##pa ##ish ##ps ##tes ##lla ##way ##house ##tic ##ger ##un ##ant ##burg ##ura
##town ##ding ##tte ##ping ##ize ##ay ##ging ##ol ##ss ##ent ##tt ##be ##ky ##ak ##ial ##han
##per ##nd ##ls ##ai ##au ##ny ##ring ##ut ##bury ##kin ##ron ##head ##ow ##ium ##mer
"""##
}
